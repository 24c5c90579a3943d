"""Budget for a rights page: HTML + CSS under 30 KB gzipped, server time median under 10 ms.

Run with `python -m bench.rights`. The server time is measured in process with Flask's
test client (routing, locale selection, template rendering, security headers), so it
leaves out the network and the WSGI server.
"""

from __future__ import annotations

import gzip
import statistics
import time

from portal import create_app
from portal.config import TestConfig

SIZE_BUDGET_BYTES = 30 * 1024
MEDIAN_BUDGET_MS = 10.0
ITERATIONS = 2000
WARMUP = 50
#: The longest right (it has the deadlines), in a left-to-right and a right-to-left locale.
CASES = [("en", "/rights/6"), ("ar", "/rights/6"), ("ta", "/rights")]


def _gzip_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


def _timings_ms(client, path: str) -> list[float]:
    for _ in range(WARMUP):
        client.get(path)
    timings = []
    for _ in range(ITERATIONS):
        start = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    return timings


def main() -> None:
    app = create_app(TestConfig)
    client = app.test_client()
    css = client.get("/static/portal.css").data
    over_budget = False
    for locale, path in CASES:
        client.set_cookie("lang", locale)
        html = client.get(path).data
        size = _gzip_size(html) + _gzip_size(css)
        timings = _timings_ms(client, path)
        p50 = statistics.median(timings)
        p90 = statistics.quantiles(timings, n=10)[-1]
        size_ok, time_ok = size < SIZE_BUDGET_BYTES, p50 < MEDIAN_BUDGET_MS
        over_budget |= not (size_ok and time_ok)
        print(
            f"{locale:>3} {path:<12} html {len(html):>6} B, css {len(css):>5} B, "
            f"gzip total {size / 1024:5.1f} KB ({'ok' if size_ok else 'OVER'} < 30 KB); "
            f"server p50 {p50:5.2f} ms, p90 {p90:5.2f} ms ({'ok' if time_ok else 'OVER'} < 10 ms)"
        )
    if over_budget:
        raise SystemExit("a rights page is over its budget")


if __name__ == "__main__":
    main()
