"""A scripted browser for the production profile on loopback (tests, benchmarks).

Production cookies are Secure. Browsers send them to http://127.0.0.1 (a potentially
trustworthy origin); `requests` does not, so this client does what a browser does there.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable

import requests

_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
_CODE = re.compile(r"\b\d{6}\b")
#: How long a victim waits for the dispatcher to send their code.
CODE_WAIT_SECONDS = 30


class LoopbackBrowser(requests.Session):
    def __init__(self, base: str) -> None:
        super().__init__()
        self.base = base

    def request(self, method, url, *args, **kwargs):
        kwargs.setdefault("timeout", 30)
        kwargs.setdefault("allow_redirects", False)
        url = url if url.startswith("http") else self.base + url
        response = super().request(method, url, *args, **kwargs)
        for cookie in self.cookies:
            cookie.secure = False
        return response

    def form_token(self, path: str) -> str:
        """The form token of the page at `path` (and the cookie it belongs to)."""
        return _TOKEN.search(self.get(path).text).group(1)

    def sign_in_victim(self, reference: str, channel: str, received: Callable[[], str]) -> None:
        """Sign in with a one-time code; `received()` is every text the victim has been
        sent so far. The code comes from a dispatch worker: wait for a new one."""
        data = {"csrf_token": self.form_token("/sign-in"), "reference": reference}
        before = len(_CODE.findall(received()))
        sent = self.post("/sign-in", data={**data, "channel": channel})
        if sent.status_code != 303:
            raise RuntimeError(f"code request answered {sent.status_code}")
        deadline = time.monotonic() + CODE_WAIT_SECONDS
        while len(codes := _CODE.findall(received())) <= before:
            if time.monotonic() > deadline:
                raise RuntimeError("no sign-in code arrived: is a dispatch worker running?")
            time.sleep(0.05)
        code = codes[-1]
        token = self.form_token("/sign-in/code")
        entered = self.post("/sign-in/code", data={"csrf_token": token, "code": code})
        if entered.status_code != 303:
            raise RuntimeError(f"code entry answered {entered.status_code}")
