"""JSON request bodies read strictly: application/json in UTF-8, one JSON text, no key given twice in an object.

FastAPI's own reading lets the last duplicate key win (so `{"drugs": [...], "drugs": [...]}` drops a list
unseen), accepts NaN, guesses UTF-16 and reports a malformed body as a 422 with a character offset.
`JSONBodyRoute` reads the body first and answers each of those with its own problem.
"""

from __future__ import annotations

import email.message
import json
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute
from pydantic import BaseModel

from schemas.problems import FieldError, Problem, field_path
from service.api.problems import PROBLEM_BASE, problem_response

MAX_DEPTH = 32  # the contract nests four levels; deeper text is not a request


class _Object(dict[str, Any]):
    """A JSON object that remembers the keys it was given more than once."""

    repeated: list[str]


def _object_pairs(pairs: list[tuple[str, Any]]) -> _Object:
    obj = _Object()
    repeated: list[str] = []
    for key, value in pairs:
        if key in obj and key not in repeated:
            repeated.append(key)
        obj[key] = value
    obj.repeated = repeated
    return obj


def _no_constant(name: str) -> float:
    raise ValueError(f"{name} is not JSON")


class _Malformed(Exception):
    def __init__(self, reason: str) -> None:
        self.reason = reason


class _Repeated(Exception):
    def __init__(self, location: tuple[str | int, ...], key: str | None) -> None:
        self.location = location
        self.key = key


def _is_text(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # an unpaired surrogate escape such as "\ud800"
        return False
    return True


def _plain(value: Any, location: tuple[str | int, ...], known_keys: frozenset[str]) -> Any:
    """The parsed value as plain dicts and lists, after the checks a JSON parser does not make."""
    if len(location) > MAX_DEPTH:
        raise _Malformed(f"it nests deeper than {MAX_DEPTH} levels")
    if isinstance(value, str):
        if not _is_text(value):
            raise _Malformed("it holds an unpaired UTF-16 surrogate escape, which is not Unicode text")
        return value
    if isinstance(value, list):
        return [_plain(item, (*location, index), known_keys) for index, item in enumerate(value)]
    if isinstance(value, _Object):
        if value.repeated:
            key = value.repeated[0]
            # a key of the contract is named; any other key may be patient data, so it is not
            raise _Repeated(location, key if key in known_keys else None)
        plain = {}
        for key, item in value.items():
            if not _is_text(key):
                raise _Malformed("it holds an unpaired UTF-16 surrogate escape, which is not Unicode text")
            plain[key] = _plain(item, (*location, key), known_keys)
        return plain
    return value


def parse_json_body(body: bytes, known_keys: frozenset[str]) -> Any:
    """Parse a request body strictly; raises _Malformed or _Repeated."""
    if not body.strip():
        raise _Malformed("it is empty")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise _Malformed("it is not UTF-8") from None
    try:
        parsed = json.loads(text, object_pairs_hook=_object_pairs, parse_constant=_no_constant)
    except (ValueError, RecursionError):  # JSONDecodeError is a ValueError
        raise _Malformed("it is not one well-formed JSON text") from None
    return _plain(parsed, ("body",), known_keys)


def is_json_content_type(value: str | None) -> bool:
    if not value:
        return False
    message = email.message.Message()
    message["content-type"] = value
    charset = message.get_param("charset")
    return message.get_content_type() == "application/json" and (
        charset is None or (isinstance(charset, str) and charset.lower() in {"utf-8", "utf8"})
    )


def unsupported_media_type(accepted: str) -> Problem:
    return Problem(
        type=PROBLEM_BASE + "unsupported-media-type",
        title="Unsupported media type",
        status=415,
        detail=f"Send the body as {accepted}, with a Content-Type header saying so.",
    )


def _keys_of(model: type[BaseModel]) -> frozenset[str]:
    """Every property name anywhere in the model's JSON schema."""
    keys: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            properties = node.get("properties")
            if isinstance(properties, dict):
                keys.update(properties)
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(model.model_json_schema())
    return frozenset(keys)


class _CheckedJSONRequest(Request):
    """The request with its body already read and parsed, for FastAPI's handler to validate."""

    def __init__(self, request: Request, body: bytes, parsed: Any) -> None:
        super().__init__(request.scope, request.receive)
        self._checked_body = body
        self._checked_json = parsed

    async def body(self) -> bytes:
        return self._checked_body

    async def json(self) -> Any:
        return self._checked_json


class JSONBodyRoute(APIRoute):
    """A route whose JSON body is read strictly before FastAPI validates it against the model."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        annotation = self.body_field.field_info.annotation if self.body_field is not None else None
        known_keys = _keys_of(annotation) if isinstance(annotation, type) and issubclass(annotation, BaseModel) else frozenset()
        template = self.path

        async def read_strictly(request: Request) -> Response:
            if self.body_field is None:
                return await handler(request)
            if not is_json_content_type(request.headers.get("content-type")):
                return problem_response(unsupported_media_type("application/json (UTF-8)").model_copy(update={"instance": template}))
            body = await request.body()
            try:
                parsed = parse_json_body(body, known_keys)
            except _Malformed as error:
                return problem_response(
                    Problem(
                        type=PROBLEM_BASE + "malformed-json",
                        title="The body is not JSON",
                        status=400,
                        detail=f"The body could not be read: {error.reason}. Send one JSON object in UTF-8.",
                        instance=template,
                    )
                )
            except _Repeated as error:
                where = field_path(error.location)
                field = f"{where}.{error.key}" if error.key is not None else where
                return problem_response(
                    Problem(
                        type=PROBLEM_BASE + "duplicate-key",
                        title="A key is given twice",
                        status=422,
                        detail=f"Each key may appear once in an object; send {field} once, with every value it should carry."
                        if error.key is not None
                        else f"Each key may appear once in an object; an object at {where} repeats one.",
                        instance=template,
                        errors=[
                            FieldError(
                                field=field,
                                message="this key appears more than once"
                                if error.key is not None
                                else "an object has a key more than once (a key this API does not accept)",
                            )
                        ],
                    )
                )
            return await handler(_CheckedJSONRequest(request, body, parsed))

        return read_strictly
