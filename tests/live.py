"""Real servers for browser tests, cross-process tests and benchmarks.

A ``LiveSite`` owns a database of its own (a SQLite file, or a fresh PostgreSQL database
when DATABASE_URL points at PostgreSQL), migrates and seeds it, and starts one or more real
Daphne processes on free ports against it. E-mails land as files in ``mail_dir``.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _postgres_url(base_url: str, dbname: str) -> str:
    parts = urlparse(base_url)
    return urlunparse(parts._replace(path=f"/{dbname}"))


def _recreate_postgres_db(base_url: str, dbname: str) -> None:
    import psycopg

    admin_url = _postgres_url(base_url, "postgres")
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{dbname}"')


def _drop_postgres_db(base_url: str, dbname: str) -> None:
    import psycopg

    with psycopg.connect(_postgres_url(base_url, "postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')


class LiveSite:
    def __init__(self, name: str = "live", seed_args: tuple[str, ...] = (), extra_env=None):
        self.name = name
        self.tmp = Path(tempfile.mkdtemp(prefix=f"tcri-{name}-"))
        self.mail_dir = self.tmp / "mail"
        self.mail_dir.mkdir()
        self.seed_args = seed_args
        self.processes: list[subprocess.Popen] = []
        self.urls: list[str] = []
        self.env = dict(os.environ)
        self.env.update(
            {
                "DJANGO_SETTINGS_MODULE": "tcri_site.settings.dev",
                "DEBUG": "0",
                "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
                "EMAIL_FILE_PATH": str(self.mail_dir),
                # No worker runs beside the live servers: e-mails go out in the request, as files.
                "TASKS_BACKEND": os.environ.get("TASKS_BACKEND", "immediate"),
                "MEDIA_ROOT": str(self.tmp / "media"),
                "PRIVATE_MEDIA_ROOT": str(self.tmp / "private_media"),
                "PYTHONUNBUFFERED": "1",
                "CHANNELS_PREFIX": f"tcri-{name}-{os.getpid()}",
                "CACHE_KEY_PREFIX": f"tcri-{name}-{os.getpid()}",
            }
        )
        self.env.update(extra_env or {})
        self.pg_base = os.environ.get("DATABASE_URL", "")
        self.pg_name = ""
        if self.pg_base.startswith(("postgres://", "postgresql://")):
            self.pg_name = f"tcri_{name}_{os.getpid()}"
            self.env["DATABASE_URL"] = _postgres_url(self.pg_base, self.pg_name)
        else:
            self.env.pop("DATABASE_URL", None)
            self.env["SQLITE_PATH"] = str(self.tmp / "db.sqlite3")

    def manage(self, *args: str, timeout: int = 900) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if result.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def prepare(self) -> LiveSite:
        if self.pg_name:
            _recreate_postgres_db(self.pg_base, self.pg_name)
        # System checks run on their own in scripts/test (manage.py check), not here.
        self.manage("migrate", "--noinput", "--skip-checks")
        self.manage("seed_demo", "--skip-checks", *self.seed_args)
        return self

    def start(self, count: int = 1) -> list[str]:
        for _ in range(count):
            port = free_port()
            log = open(self.tmp / f"daphne-{port}.log", "w")  # noqa: SIM115 (closed in stop)
            proc = subprocess.Popen(
                # A handshake on a loaded CI machine (SQLite busy with another test's
                # writes) once took longer than Daphne's default 5 s and the browser saw
                # 1006 instead of the route's close code: the tests give it 30 s.
                [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port),
                 "--websocket_connect_timeout", "30", "tcri_site.asgi:application"],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            proc.log_file = log
            self.processes.append(proc)
            url = f"http://127.0.0.1:{port}"
            self._wait(url, proc)
            self.urls.append(url)
        return self.urls

    @property
    def url(self) -> str:
        return self.urls[0]

    def _wait(self, url: str, proc: subprocess.Popen, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"Daphne exited early; see {proc.log_file.name}")
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"Daphne did not answer at {url} within {timeout} s")

    def emails(self) -> list[str]:
        return [p.read_text(errors="replace") for p in sorted(self.mail_dir.glob("*.log"))]

    def stop(self) -> None:
        for proc in self.processes:
            proc.terminate()
        for proc in self.processes:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
            proc.log_file.close()
        self.processes.clear()
        if self.pg_name:
            _drop_postgres_db(self.pg_base, self.pg_name)
        shutil.rmtree(self.tmp, ignore_errors=True)
