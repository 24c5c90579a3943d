"""`make run-prod-local`: the production profile, rehearsed on this machine's loopback.

It starts exactly what docs/deploy.md describes for real hosts: gunicorn web workers,
one scheduler (`python -m jobs`) and N dispatch workers (`python -m jobs.dispatcher`), all
with PORTAL_ENV=production, on PostgreSQL (a database created if absent on the server at
127.0.0.1:5432) with sessions and rate limits in Redis (127.0.0.1:6379). A server that
is not running is started here, in instance/, when its binaries are installed.

Production refuses the outbox providers, so the real Twilio and SMTP providers talk to
local fakes (a Twilio-like HTTP endpoint and an SMTP sink) that print what a victim
would receive, so the sign-in codes can be read. PRODUCTION_ON_LOOPBACK allows the http
address on loopback and, in exchange, refuses any provider that is not on loopback;
real production settings are not relaxed at all (portal/config.py).
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import subprocess  # noqa: S404 - starts the portal's own processes
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from portal.services.audit.notes import SigningKey

from .local_services import PrivatePostgres, PrivateRedis, port_open, postgres_bin_dir

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = ROOT / "instance"
PYTHON = sys.executable
POSTGRES_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"
REDIS_URL = "redis://127.0.0.1:6379/0"


def ensure_database(server_url: str, name: str) -> str:
    """Create database `name` on the server if it is absent; return its URL."""
    admin = sa.create_engine(f"{server_url}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.execute(
            sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
        ).first()
        if not exists:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return f"{server_url}/{name}"


def drop_database(server_url: str, name: str) -> None:
    admin = sa.create_engine(f"{server_url}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@dataclass
class LocalStack:
    """The portal's processes on loopback with production settings."""

    database_url: str
    web_port: int = 8000
    twilio_url: str = "http://127.0.0.1:9"
    smtp_port: int = 25
    redis_url: str = REDIS_URL
    key_prefix: str = "portal-local"
    extra_env: dict[str, str] = field(default_factory=dict)
    processes: list[subprocess.Popen] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._env = self.environment()  # one SECRET_KEY for every process of the stack

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    def environment(self) -> dict[str, str]:
        return {
            **os.environ,
            "PORTAL_ENV": "production",
            "PRODUCTION_ON_LOOPBACK": "true",
            "SECRET_KEY": secrets.token_urlsafe(48),
            # A fresh audit log key per rehearsal, held in the environment as a secret
            # store would hand it over; checkpoints go to a witness file under instance/.
            "AUDIT_SIGNING_KEY": SigningKey.generate("127.0.0.1/audit").text(),
            "AUDIT_WITNESS_DIR": str(INSTANCE / "local-audit-witness"),
            "DATABASE_URL": self.database_url,
            "RATELIMIT_STORAGE_URI": self.redis_url,
            "RATELIMIT_KEY_PREFIX": self.key_prefix,
            "SESSION_STORE": "redis",
            "SESSION_REDIS_URL": self.redis_url,
            "SESSION_REDIS_PREFIX": f"{self.key_prefix}:session:",
            "PUBLIC_BASE_URL": self.url,
            "SMS_PROVIDER": "twilio",
            "TWILIO_API_BASE_URL": self.twilio_url,
            "TWILIO_ACCOUNT_SID": "AC" + "0" * 32,
            "TWILIO_AUTH_TOKEN": "local-rehearsal-token",
            "TWILIO_FROM_NUMBER": "+447700900000",
            "EMAIL_PROVIDER": "smtp",
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": str(self.smtp_port),
            "SMTP_STARTTLS": "false",
            "WEB_BIND": f"127.0.0.1:{self.web_port}",
            "PYTHONUNBUFFERED": "1",
            **self.extra_env,
        }

    def flask(self, *args: str) -> str:
        done = subprocess.run(  # noqa: S603
            [PYTHON, "-m", "flask", "--app", "wsgi", *args],
            cwd=ROOT,
            env=self._env,
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout

    def prepare(self, *, demo: bool = True) -> None:
        self.flask("db", "upgrade")
        if demo:
            self.flask("demo", "load")

    def _spawn(self, *command: str, **kwargs) -> subprocess.Popen:
        # A session of its own: Ctrl-C reaches only this script, which stops the
        # processes in order (SIGTERM: each finishes what it is doing).
        process = subprocess.Popen(  # noqa: S603
            command, cwd=ROOT, env=self._env, start_new_session=True, **kwargs
        )
        self.processes.append(process)
        return process

    def start_web(self, workers: int | None = None, **kwargs) -> None:
        """gunicorn with deploy/gunicorn.conf.py (`workers` overrides its default)."""
        count = ["-w", str(workers)] if workers else []
        process = self._spawn(
            PYTHON, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", *count, "wsgi:app",
            **kwargs,
        )  # fmt: skip
        wait_until_answering(f"{self.url}/rights", process)

    def start_jobs(self, dispatchers: int) -> None:
        self._spawn(PYTHON, "-m", "jobs")
        self.start_dispatchers(dispatchers)

    def start_dispatchers(self, count: int, *args: str, **kwargs) -> None:
        """`count` dispatch workers (`args`: their options, e.g. --max-lane 0)."""
        for _ in range(count):
            self._spawn(PYTHON, "-m", "jobs.dispatcher", *args, **kwargs)

    def any_exited(self) -> bool:
        return any(process.poll() is not None for process in self.processes)

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        self.processes.clear()


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5):  # noqa: S310 - loopback only
            return True
    except OSError:
        return False


def wait_until_answering(url: str, process: subprocess.Popen, seconds: float = 300) -> None:
    """gunicorn opens its port at once but answers only when a worker is up, after the
    chatbot's models have loaded (see gunicorn.conf.py)."""
    deadline = time.monotonic() + seconds
    while not answers(url):
        if time.monotonic() > deadline or process.poll() is not None:
            raise RuntimeError("gunicorn did not start")
        time.sleep(0.5)


def _start_fakes():
    """The local Twilio-like endpoint and SMTP sink; both print what they receive."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    from tests.support.fake_twilio import FakeTwilio

    from .local_services import free_port

    class PrintingInbox(Message):
        def handle_message(self, message) -> None:
            text = next(
                (
                    p.get_payload(decode=True)
                    for p in message.walk()
                    if p.get_content_type() == "text/plain"
                ),
                b"",
            )
            print(f"[fake email to {message['To']}] {message['Subject']}\n{text.decode()}")

    twilio = FakeTwilio()
    smtp = Controller(PrintingInbox(), hostname="127.0.0.1", port=free_port())
    smtp.start()

    def print_sms() -> None:
        shown = 0
        while True:
            for to, body in twilio.accepted[shown:]:
                print(f"[fake SMS to {to}] {body}", flush=True)
            shown = len(twilio.accepted)
            time.sleep(0.5)

    threading.Thread(target=print_sms, daemon=True).start()
    return twilio, smtp


def _servers(stack_stop: list) -> str:
    """Make sure PostgreSQL and Redis answer on their usual loopback ports; start them
    from instance/ when they are installed but not running. Returns the server URL."""
    if not port_open(6379):
        redis_server = PrivateRedis(INSTANCE / "redis", port=6379).start()
        stack_stop.append(redis_server.stop)
        print("Started Redis on 127.0.0.1:6379 (stops with this command).")
    if not port_open(5432):
        if postgres_bin_dir() is None:
            raise SystemExit("PostgreSQL is not running on 127.0.0.1:5432 and not installed.")
        postgres = PrivatePostgres(INSTANCE / "postgres", port=5432).init().start()
        stack_stop.append(postgres.stop)
        print("Started PostgreSQL on 127.0.0.1:5432 from instance/postgres.")
    return POSTGRES_SERVER


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m deploy.run_local", description=__doc__)
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--dispatchers", type=int, default=2)
    parser.add_argument("--database", default="portal_local")
    args = parser.parse_args(argv)

    cleanup: list = []
    stopping = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopping.set())
    stack = None
    try:
        server = _servers(cleanup)
        twilio, smtp = _start_fakes()
        cleanup += [twilio.close, smtp.stop]
        stack = LocalStack(
            database_url=ensure_database(server, args.database),
            web_port=args.port,
            twilio_url=twilio.url,
            smtp_port=smtp.port,
        )
        stack.prepare()
        stack.start_web(args.web_workers)
        stack.start_jobs(args.dispatchers)
        print(
            f"\n  Portal (production profile): {stack.url}/\n"
            f"  {args.web_workers} gunicorn workers, 1 scheduler, {args.dispatchers} dispatchers,"
            f" PostgreSQL database {args.database!r}, Redis at {REDIS_URL}\n"
            "  Texts and emails go to local fakes and are printed here.\n"
            f"{stack.flask('demo', 'sign-ins')}\n  Press Ctrl-C to stop everything.\n",
            flush=True,
        )
        while not stopping.wait(1):
            if stack.any_exited():
                raise SystemExit("a process of the portal stopped; stopping everything")
    finally:
        if stack is not None:
            stack.stop()
        for stop in reversed(cleanup):
            stop()


if __name__ == "__main__":
    main()
