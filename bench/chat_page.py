"""Budget for the chat page: HTML + CSS + scripts under 50 KB gzipped; a question answered
(POST /chat with a full page, or POST /chat/answer for the script) in a median under 15 ms.

Run with `python -m bench.chat_page`. Measured in process with Flask's test client
(routing, locale, the bot, the count upsert on SQLite, rendering, headers), so it leaves
out the network and the WSGI server. The bot is warmed up first: its models are trained
once per worker at first use (see bench/chatbot.py for that figure).
"""

from __future__ import annotations

import gzip
import statistics
import tempfile
import time
from pathlib import Path

from sqlmodel import SQLModel

from portal import create_app
from portal.chatbot import warm_up
from portal.chatbot.catalog import compile_catalogs
from portal.config import TestConfig

SIZE_BUDGET_BYTES = 50 * 1024
MEDIAN_BUDGET_MS = 15.0
ITERATIONS = 500
WARMUP = 30
STATIC = ("/static/portal.css", "/static/quick-exit.js", "/static/chat.js")
#: (locale, path, question): the heaviest pages (every topic, or topics when unsure).
CASES = [
    ("en", "/chat", "can I get an interpreter"),
    ("en", "/chat", "asdkjh qwe"),
    ("ar", "/chat/answer", "أحتاج إلى مترجم"),
    ("ta", "/chat", "asdkjh qwe"),
]


def _gzip_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


def _timings_ms(client, path: str, question: str) -> list[float]:
    for _ in range(WARMUP):
        client.post(path, data={"message": question})
    timings = []
    for _ in range(ITERATIONS):
        start = time.perf_counter()
        response = client.post(path, data={"message": question})
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    return timings


def main() -> None:
    compile_catalogs()
    warm_up()
    with tempfile.TemporaryDirectory() as directory:
        settings = {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}
        settings.update(
            DATABASE_URL=f"sqlite:///{Path(directory) / 'bench.sqlite3'}",
            WTF_CSRF_ENABLED=False,
            CHAT_LIMIT_PER_IP="1000000 per minute",
        )
        app = create_app(settings)
        SQLModel.metadata.create_all(app.extensions["db_engine"])
        client = app.test_client()
        static = sum(_gzip_size(client.get(path).data) for path in STATIC)
        over_budget = False
        for locale, path, question in CASES:
            client.set_cookie("lang", locale)
            page = client.post("/chat", data={"message": question}).data
            all_topics = client.get("/chat?topics=all").data
            size = max(_gzip_size(page), _gzip_size(all_topics)) + static
            timings = _timings_ms(client, path, question)
            p50 = statistics.median(timings)
            p90 = statistics.quantiles(timings, n=10)[-1]
            size_ok, time_ok = size < SIZE_BUDGET_BYTES, p50 < MEDIAN_BUDGET_MS
            over_budget |= not (size_ok and time_ok)
            print(
                f"{locale:>3} {path:<12} {question[:24]!r:<28} gzip page+css+js "
                f"{size / 1024:4.1f} KB ({'ok' if size_ok else 'OVER'} < 50 KB); "
                f"server p50 {p50:5.2f} ms, p90 {p90:5.2f} ms "
                f"({'ok' if time_ok else 'OVER'} < {MEDIAN_BUDGET_MS:.0f} ms)"
            )
        app.extensions["db_engine"].dispose()
    if over_budget:
        raise SystemExit("the chat page is over its budget")


if __name__ == "__main__":
    main()
