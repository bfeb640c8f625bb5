"""A throwaway PostgreSQL from the machine's binaries: initdb in a temporary folder, a free loopback port.

`python -m scripts.temp_postgres -- CMD ...` runs CMD with TKI_CDS_TEST_POSTGRES_URL pointing at it and
removes the cluster afterwards, whatever happens. `temporary_postgres()` does the same for Python callers
(the drill). As root, the server runs as `nobody` because initdb refuses root.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

DEBIAN_BIN_DIRS = [Path("/usr/lib/postgresql") / v / "bin" for v in ("15", "16", "17")]
DATABASE = "tki_cds_test"
USER = "tki_cds"


def find_bin_dir() -> Path:
    """The folder holding initdb and pg_ctl: PG_BIN_DIR, Debian's versioned folder, or PATH."""
    candidates = [Path(os.environ["PG_BIN_DIR"])] if os.environ.get("PG_BIN_DIR") else []
    candidates += DEBIAN_BIN_DIRS
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(Path(on_path).parent)
    for folder in candidates:
        if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file():
            return folder
    raise FileNotFoundError("PostgreSQL server binaries not found (install Debian's postgresql-15 or set PG_BIN_DIR)")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _as_server_user() -> tuple[list[str], int | None, int | None]:
    """A command prefix dropping root (initdb refuses it), with the uid/gid that must own the folder."""
    if os.geteuid() != 0:
        return [], None, None
    import pwd

    nobody = pwd.getpwnam("nobody")
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        raise FileNotFoundError("running as root needs setpriv (util-linux) to start PostgreSQL as nobody")
    return [setpriv, f"--reuid={nobody.pw_uid}", f"--regid={nobody.pw_gid}", "--clear-groups"], nobody.pw_uid, nobody.pw_gid


@contextlib.contextmanager
def temporary_postgres() -> Iterator[str]:
    """Start a fresh cluster; yield its SQLAlchemy URL; stop it and delete its folder on exit."""
    bin_dir = find_bin_dir()
    prefix, uid, gid = _as_server_user()
    root = Path(tempfile.mkdtemp(prefix="tki-cds-pg-"))
    data, log = root / "data", root / "server.log"
    if uid is not None and gid is not None:
        os.chown(root, uid, gid)
    env = {**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8", "HOME": str(root)}
    port = free_port()
    started = False
    try:
        subprocess.run(
            [*prefix, str(bin_dir / "initdb"), "-D", str(data), "-U", USER, "--auth=trust", "-E", "UTF8", "--no-sync"],
            check=True, env=env, cwd=root, stdout=subprocess.DEVNULL,
        )
        options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
        subprocess.run(
            [*prefix, str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options, "-w", "-t", "60", "start"],
            check=True, env=env, cwd=root, stdout=subprocess.DEVNULL,
        )
        started = True
        subprocess.run(
            [*prefix, str(bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", USER, DATABASE],
            check=True, env=env, cwd=root,
        )
        yield f"postgresql+psycopg://{USER}@127.0.0.1:{port}/{DATABASE}"
    except subprocess.CalledProcessError:
        if log.exists():
            sys.stderr.write(log.read_text(errors="replace")[-4000:])
        raise
    finally:
        if started:
            subprocess.run(
                [*prefix, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
                env=env, cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False,
            )
        shutil.rmtree(root, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.temp_postgres", description=__doc__)
    parser.add_argument("command", nargs=argparse.REMAINDER, help="command to run (after --)")
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give a command to run")
    # SIGTERM (CI's stop, a closed terminal) takes the same way out as an error, so the cluster is removed.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    signal.signal(signal.SIGHUP, lambda *_: sys.exit(129))
    with temporary_postgres() as url:
        print(f"throwaway PostgreSQL at {url}", file=sys.stderr)
        child = subprocess.run(command, env={**os.environ, "TKI_CDS_TEST_POSTGRES_URL": url}, check=False)
        return child.returncode


if __name__ == "__main__":
    sys.exit(main())
