"""A local HTTP endpoint that answers like Twilio's Messages API, for the real client."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

#: How long a held request waits for `release` before it gives up.
HOLD_LIMIT_SECONDS = 60


class FakeTwilio:
    """Answers each request with the next scripted reply ((status, twilio_code) or
    "timeout"), then with success. Counts requests, keeps each one's path, form and
    Authorization header in `received`, and every accepted (to, body) in `accepted`
    (with its sid and creation time in `messages`, which GET .../Messages.json lists).

    `delay` slows every answer down (a slow provider). `hold = (n, "after")` makes the
    n-th create request accept the message and then wait, without answering, until
    `release` is set; `(n, "before")` waits before accepting and then drops the request
    unanswered. `held` is set when that request arrives, so a test can kill the client
    at exactly that moment. With `stall` set, every create request from then on is held
    the same way until `release` (odd ones after accepting, even ones before) and
    `stalled` counts them: many sends in flight at once.
    """

    def __init__(self, *, delay: float = 0.0) -> None:
        self.script: list = []
        self.accepted: list[tuple[str, str]] = []
        self.messages: list[dict] = []
        self.requests = 0
        self.received: list[dict] = []
        self.delay = delay
        self.hold: tuple[int, str] | None = None
        self.stall = False
        self.stalled = 0
        self.held = threading.Event()
        self.release = threading.Event()
        self.clock: Callable[[], datetime] = lambda: datetime.now(UTC)
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:
                query = parse_qs(urlsplit(self.path).query)
                to = query.get("To", [None])[0]
                with fake._lock:
                    found = [m for m in reversed(fake.messages) if to is None or m["to"] == to]
                self._answer(200, {"messages": found, "next_page_uri": None, "page": 0})

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                form = parse_qs(self.rfile.read(length).decode())
                with fake._lock:
                    fake.requests += 1
                    number = fake.requests
                    fake.received.append(
                        {
                            "path": self.path,
                            "form": {key: values[0] for key, values in form.items()},
                            "auth": self.headers.get("Authorization"),
                        }
                    )
                    reply = fake.script.pop(0) if fake.script else (201, None)
                if fake.delay:
                    time.sleep(fake.delay)
                if reply == "timeout":
                    time.sleep(1.5)
                    return
                held = fake.hold is not None and fake.hold[0] == number
                when = fake.hold[1] if held else None
                if fake.stall:
                    with fake._lock:
                        fake.stalled += 1
                        held, when = True, "after" if fake.stalled % 2 else "before"
                if held and when == "before":
                    fake.held.set()
                    fake.release.wait(HOLD_LIMIT_SECONDS)
                    return
                status, code = reply
                if status == 201:
                    payload = fake._accept(form["To"][0], form["Body"][0], form.get("From"))
                else:
                    payload = {"code": code, "message": "error", "status": status}
                if held:
                    fake.held.set()
                    fake.release.wait(HOLD_LIMIT_SECONDS)
                self._answer(status, payload)

            def _answer(self, status: int, payload: dict) -> None:
                body = json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    pass  # the client has gone (killed mid-request)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def _accept(self, to: str, body: str, sender: list[str] | None) -> dict:
        with self._lock:
            self.accepted.append((to, body))
            message = {
                "sid": f"SM{len(self.accepted):032d}",
                "status": "queued",
                "direction": "outbound-api",
                "to": to,
                "from": sender[0] if sender else None,
                "body": body,
                "date_created": format_datetime(self.clock(), usegmt=True),
            }
            self.messages.append(message)
        return message

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
