"""A local HTTP endpoint that answers like Twilio's Messages API, for the real client."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs


class FakeTwilio:
    """Answers each request with the next scripted reply ((status, twilio_code) or
    "timeout"), then with success. Counts requests, keeps each one's path, form and
    Authorization header in `received`, and every accepted (to, body) in `accepted`."""

    def __init__(self) -> None:
        self.script: list = []
        self.accepted: list[tuple[str, str]] = []
        self.requests = 0
        self.received: list[dict] = []
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                form = parse_qs(self.rfile.read(length).decode())
                with fake._lock:
                    fake.requests += 1
                    fake.received.append(
                        {
                            "path": self.path,
                            "form": {key: values[0] for key, values in form.items()},
                            "auth": self.headers.get("Authorization"),
                        }
                    )
                    reply = fake.script.pop(0) if fake.script else (201, None)
                if reply == "timeout":
                    time.sleep(1.5)
                    return
                status, code = reply
                with fake._lock:
                    if status == 201:
                        fake.accepted.append((form["To"][0], form["Body"][0]))
                        payload = {"sid": f"SM{len(fake.accepted):032d}", "status": "queued"}
                    else:
                        payload = {"code": code, "message": "error", "status": status}
                body = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
