"""Structured JSON logs: one object per line, with the request id, and no exception messages.

The configuration is service/ops/logging.json: the launcher (`python -m service.serve`) uses it, and plain
uvicorn takes it as `--log-config service/ops/logging.json`. The access log is off: the request log
replaces it without the raw path.
"""

from __future__ import annotations

import json
import logging
import traceback
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from service.ops.request_log import current_request_id

LOGGING_CONFIG_FILE = Path(__file__).resolve().parent / "logging.json"

# Only these attributes of a record are written: a stray `extra` cannot carry request data out.
_FIELDS = ("method", "route", "status", "duration_ms", "release")


class JsonFormatter(logging.Formatter):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The lines carry no process, thread or process name: stop filling them in on every record
        # (os.getpid is a system call per request line). Set where the formatter is built, in each worker.
        logging.logProcesses = False
        logging.logThreads = False
        logging.logMultiprocessing = False

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = record.__dict__.get("request_id") or current_request_id.get()
        if request_id is not None:
            entry["request_id"] = request_id
        for field in _FIELDS:
            if field in record.__dict__:
                entry[field] = record.__dict__[field]
        if record.exc_info and record.exc_info[0] is not None:
            # The exception's type and where it was raised; its message may hold request data.
            entry["error"] = record.exc_info[0].__name__
            entry["stack"] = [f"{frame.filename}:{frame.lineno} in {frame.name}" for frame in traceback.extract_tb(record.exc_info[2])]
        return json.dumps(entry, ensure_ascii=False)


def load_logging_config() -> dict[str, Any]:
    return json.loads(LOGGING_CONFIG_FILE.read_text(encoding="utf-8"))
