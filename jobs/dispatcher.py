"""`python -m jobs.dispatcher`: a dispatch worker that sends from the outbox in a loop.

In development the scheduler process dispatches every 2 seconds itself. Start workers
when more throughput is wanted: any number may run at once, on any machine, because claims
are leased and fenced (see portal.services.messaging). A worker outlives a database
restart: a sweep that fails on a lost connection is logged and tried again after a
pause, and the engine's pre-ping replaces dead pooled connections. A row whose result
could not be recorded stays in doubt and is settled with the provider by a later sweep.
SIGTERM or Ctrl-C stops the worker after the current batch.
"""

from __future__ import annotations

import argparse
import logging
import signal
import threading

import sqlalchemy as sa
from flask import Flask

from portal import create_app

from .sweeps import dispatch_batch

log = logging.getLogger("jobs.dispatcher")


def run(
    app: Flask,
    *,
    stop: threading.Event,
    batch_size: int,
    idle_seconds: float,
    max_lane: int | None = None,
) -> None:
    """Dispatch batch after batch until `stop` is set; pause when nothing is due."""
    while not stop.is_set():
        try:
            result = dispatch_batch(app, batch_size=batch_size, max_lane=max_lane)
        except sa.exc.DBAPIError as exc:
            log.warning("dispatch: database unavailable (%s), trying again", type(exc).__name__)
            stop.wait(idle_seconds)
            continue
        if not result.claimed:
            stop.wait(idle_seconds)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m jobs.dispatcher", description=__doc__)
    parser.add_argument("--batch-size", type=int, default=100, help="rows claimed at a time")
    parser.add_argument("--idle-seconds", type=float, default=1.0, help="pause when nothing is due")
    parser.add_argument(
        "--max-lane",
        type=int,
        default=None,
        help="send only lanes up to this one (0 sign-in codes, 1 questions, 2 event updates, "
        "3 check-ins): a worker kept free for the urgent lanes",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    app = create_app()
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    log.info("dispatch worker started")
    run(
        app,
        stop=stop,
        batch_size=args.batch_size,
        idle_seconds=args.idle_seconds,
        max_lane=args.max_lane,
    )


if __name__ == "__main__":
    main()
