"""Load on the production profile: `python -m bench load`.

gunicorn (deploy/gunicorn.conf.py, PORTAL_ENV=production on loopback) on a private
PostgreSQL database with sessions and rate limits in Redis, driven by wrk on loopback
only, a bounded time per endpoint: the rights page, a sign-in code request (a real SMS
through the Twilio client to a local fake), My case signed in, the chatbot by SMS
(a signed Twilio webhook) and API event ingestion; and, in the same run and served the
same way, a minimal Flask hello-world (the practical ceiling on this machine).

Goals (issue 9): rights page at least 50% of hello-world's requests/s with p99 under
50 ms at that throughput; API event ingestion at least 500 events/s.

Environment: BENCH_LOAD_SECONDS (10 per endpoint), BENCH_LOAD_CONNECTIONS (8),
WEB_WORKERS (gunicorn's default in deploy/gunicorn.conf.py). Needs wrk (Debian package
`wrk`), PostgreSQL at 127.0.0.1:5432 and Redis at 127.0.0.1:6379; skips with the reason
when one is missing.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess  # noqa: S404 - runs wrk and gunicorn on loopback
import sys
import tempfile
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

from deploy.local_services import free_port, port_open
from deploy.loopback_browser import LoopbackBrowser
from deploy.run_local import (
    POSTGRES_SERVER,
    REDIS_URL,
    LocalStack,
    drop_database,
    ensure_database,
    wait_until_answering,
)

SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("BENCH_LOAD_CONNECTIONS", "8"))
WARM_UP_SECONDS = 3
#: Limits high enough that wrk from one address measures the work, not the 429 page.
UNLIMITED = "1000000 per minute"
RIGHTS_GOAL_RATIO = 0.5
RIGHTS_GOAL_P99_MS = 50.0
API_GOAL_PER_SECOND = 500.0
ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Figures:
    name: str
    per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    bad: int  # non-2xx/3xx answers and socket errors

    def line(self) -> str:
        return (
            f"{self.name:<22} {self.per_second:8.0f} req/s  p50 {self.p50_ms:7.2f} ms  "
            f"p99 {self.p99_ms:7.2f} ms  ({self.requests} requests, {self.bad} bad)"
        )


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def parse_wrk(name: str, output: str) -> Figures:
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", output, re.M))
    bad = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", output))
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    bad += sum(int(n) for n in errors.groups()) if errors else 0
    return Figures(
        name=name,
        per_second=float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        p50_ms=_ms(latency["50"]),
        p99_ms=_ms(latency["99"]),
        requests=int(re.search(r"(\d+) requests in", output).group(1)),
        bad=bad,
    )


def _lua(method: str, body: str = "", headers: dict[str, str] | None = None) -> str:
    lines = [f"wrk.method = {json.dumps(method)}", f"wrk.body = {json.dumps(body)}"]
    lines += [f"wrk.headers[{json.dumps(k)}] = {json.dumps(v)}" for k, v in (headers or {}).items()]
    return "\n".join(lines) + "\n"


def wrk(name: str, url: str, script: str, directory: Path) -> Figures:
    slug = re.sub(r"\W+", "_", name)
    path = directory / f"{slug}.lua"
    path.write_text(script)
    base = ["wrk", "-t2", f"-c{CONNECTIONS}", "--latency", "-s", str(path), url]
    subprocess.run([*base[:3], f"-d{WARM_UP_SECONDS}s", *base[3:]], capture_output=True)  # noqa: S603
    done = subprocess.run(  # noqa: S603
        [*base[:3], f"-d{SECONDS}s", *base[3:]], capture_output=True, text=True, check=True
    )
    try:
        return parse_wrk(name, done.stdout)
    except (AttributeError, KeyError):
        raise RuntimeError(f"wrk's output for {name} could not be read:\n{done.stdout}") from None


def _missing() -> str | None:
    if shutil.which("wrk") is None:
        return "wrk is not installed (Debian package wrk)"
    if not port_open(5432):
        return "PostgreSQL is not listening on 127.0.0.1:5432"
    if not port_open(6379):
        return "Redis is not listening on 127.0.0.1:6379"
    return None


def _hello_world(directory: Path, env: dict[str, str]) -> Figures:
    port = free_port()
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "bench._hello_app:app"],
        cwd=ROOT,
        env={**env, "WEB_BIND": f"127.0.0.1:{port}"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_answering(f"http://127.0.0.1:{port}/", server)
        return wrk("hello-world", f"http://127.0.0.1:{port}/", _lua("GET"), directory)
    finally:
        server.terminate()
        server.wait(timeout=30)


def _api_event(stack: LocalStack, reference: str, directory: Path) -> Figures | str:
    """API event ingestion, when this build has the API (another branch adds it)."""
    probe = LoopbackBrowser(stack.url).post(f"/api/v1/cases/{reference}/events", json={})
    if probe.status_code == 404:
        return "API event ingestion: not available (no POST /api/v1/cases/{ref}/events here)"
    try:
        secret = stack.flask("api-keys", "create", "bench").strip().splitlines()[-1]
    except subprocess.CalledProcessError:
        return "API event ingestion: not available (no `flask api-keys create` here)"
    body = json.dumps(
        {"type": "suspect_arrested", "occurred_at": datetime.now(UTC).isoformat(), "params": {}}
    )
    headers = {"Authorization": f"Bearer {secret}", "Content-Type": "application/json"}
    url = f"{stack.url}/api/v1/cases/{reference}/events"
    return wrk("API event ingestion", url, _lua("POST", body, headers), directory)


def main() -> None:
    missing = _missing()
    if missing:
        print(f"skipped: {missing}")
        return
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Sink
    from twilio.request_validator import RequestValidator

    from tests.support.fake_twilio import FakeTwilio

    database = f"portal_bench_{uuid.uuid4().hex[:8]}"
    twilio = FakeTwilio()
    smtp = Controller(Sink(), hostname="127.0.0.1", port=free_port())
    smtp.start()
    limits = {
        name: UNLIMITED
        for name in (
            "VICTIM_SIGN_IN_LIMIT_PER_IP",
            "VICTIM_SIGN_IN_LIMIT_PER_REFERENCE",
            "VICTIM_CODE_LIMIT_PER_IP",
            "PUBLIC_PAGE_LIMIT_PER_IP",
        )
    }
    stack = LocalStack(
        database_url=ensure_database(POSTGRES_SERVER, database),
        web_port=free_port(),
        twilio_url=twilio.url,
        smtp_port=smtp.port,
        key_prefix=database,
        extra_env=limits,
    )
    results: list[Figures | str] = []
    try:
        with tempfile.TemporaryDirectory() as scratch:
            directory = Path(scratch)
            stack.prepare()
            results.append(_hello_world(directory, stack.environment()))
            stack.start_web(
                int(os.environ.get("WEB_WORKERS", "0")) or None,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            reference = "01/100148/26"  # Chris Jones (English, SMS and email) in the demo data
            phone = "+447700900105"
            visitor = LoopbackBrowser(stack.url)
            token = visitor.form_token("/sign-in")
            cookie = f"portal_session={visitor.cookies['portal_session']}"
            victim = LoopbackBrowser(stack.url)
            stack.start_dispatchers(
                1, "--max-lane", "0", stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )  # sends the sign-in codes
            victim.sign_in_victim(
                reference, "sms", lambda: "\n".join(body for _to, body in twilio.accepted)
            )
            signed_in = f"portal_session={victim.cookies['portal_session']}"
            form = {"From": phone, "To": "+447700900000", "Body": "When is my court date?"}
            inbound = f"{stack.url}/webhooks/twilio/inbound"
            signature = RequestValidator("local-rehearsal-token").compute_signature(inbound, form)
            form_type = {"Content-Type": "application/x-www-form-urlencoded"}
            runs = [
                ("rights page", f"{stack.url}/rights/6", _lua("GET")),
                (
                    "sign-in code request",
                    f"{stack.url}/sign-in",
                    _lua(
                        "POST",
                        urlencode({"csrf_token": token, "reference": reference, "channel": "sms"}),
                        {**form_type, "Cookie": cookie},
                    ),
                ),
                ("My case", f"{stack.url}/my-case", _lua("GET", "", {"Cookie": signed_in})),
                (
                    "chatbot (SMS)",
                    inbound,
                    _lua("POST", urlencode(form), {**form_type, "X-Twilio-Signature": signature}),
                ),
            ]
            for name, url, script in runs:
                results.append(wrk(name, url, script, directory))
            results.append(_api_event(stack, reference, directory))
    finally:
        stack.stop()
        smtp.stop()
        twilio.close()
        drop_database(POSTGRES_SERVER, database)
        _forget_keys(database)
    _report(results)


def _forget_keys(prefix: str) -> None:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(match=f"{prefix}*"))
    if keys:
        client.delete(*keys)


def _report(results: list[Figures | str]) -> None:
    print(
        f"wrk -t2 -c{CONNECTIONS}, {SECONDS} s per endpoint after {WARM_UP_SECONDS} s warm-up; "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    for result in results:
        print(result if isinstance(result, str) else result.line())
    figures = {r.name: r for r in results if isinstance(r, Figures)}
    hello, rights = figures["hello-world"], figures["rights page"]
    ratio = rights.per_second / hello.per_second
    print(
        f"rights page: {ratio:.0%} of hello-world "
        f"({'ok' if ratio >= RIGHTS_GOAL_RATIO else 'MISSED'} >= 50%), "
        f"p99 {rights.p99_ms:.1f} ms ({'ok' if rights.p99_ms < RIGHTS_GOAL_P99_MS else 'MISSED'}"
        " < 50 ms)"
    )
    api = figures.get("API event ingestion")
    if api is not None:
        verdict = "ok" if api.per_second >= API_GOAL_PER_SECOND else "MISSED"
        print(f"API event ingestion: {api.per_second:.0f} events/s ({verdict} >= 500)")
    bad = [r.name for r in figures.values() if r.bad]
    if bad:
        print("answers that were not 2xx/3xx: " + ", ".join(bad))


if __name__ == "__main__":
    main()
