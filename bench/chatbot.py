"""Chatbot speed and size: p50/p99 latency per message and RSS with the bot loaded.

Run: ``python bench/chatbot.py`` (targets: p99 under 10 ms, RSS under 250 MB).
Latency is measured over the labelled evaluation set, several rounds, after warm-up;
RSS is the process's resident memory after importing Flask (as a web worker does) and
loading both models and every catalog.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

EVAL_FILE = Path(__file__).resolve().parents[1] / "tests" / "chatbot" / "eval_messages.tsv"
ROUNDS = 5


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def main() -> None:
    import flask  # noqa: F401 - a web worker has Flask loaded too

    before = rss_mb()
    from portal.chatbot import corpus, reply, warm_up
    from portal.chatbot.catalog import compile_catalogs

    compile_catalogs()
    started = time.perf_counter()
    warm_up()
    load_seconds = time.perf_counter() - started
    messages = [e.text for e in corpus.read_labelled(EVAL_FILE)]
    for text in messages:  # first touch of every catalog and lazily loaded lingua model
        reply(text)
    after = rss_mb()

    timings = []
    for _ in range(ROUNDS):
        for text in messages:
            t0 = time.perf_counter()
            reply(text)
            timings.append((time.perf_counter() - t0) * 1000)
    timings.sort()
    p50 = statistics.median(timings)
    p99 = timings[int(len(timings) * 0.99) - 1]
    print(f"messages: {len(messages)} x {ROUNDS} rounds")
    print(f"model load (from the file make chatbot-model builds): {load_seconds:.2f} s")
    print(f"latency per message: p50 {p50:.2f} ms, p99 {p99:.2f} ms, max {timings[-1]:.2f} ms")
    print(f"RSS: {before:.0f} MB with Flask, {after:.0f} MB with the bot loaded")


if __name__ == "__main__":
    main()
