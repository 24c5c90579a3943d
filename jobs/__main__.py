"""`python -m jobs [scheduler]`: the one scheduler process.
`python -m jobs dispatch`: one dispatch worker (run N of them in production)."""

from __future__ import annotations

import argparse
import logging
import signal
import threading

from portal import create_app
from portal.config import config_from_environment
from portal.logs import configure

from . import build_scheduler, dispatcher


def _scheduler() -> None:
    app = create_app()
    scheduler = build_scheduler(app)
    logging.getLogger("jobs").info("scheduler started with %d jobs", len(scheduler.get_jobs()))
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        pass


def _dispatch() -> None:
    app = create_app()
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    dispatcher.run(app, stop)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m jobs", description=__doc__)
    parser.add_argument("role", nargs="?", choices=("scheduler", "dispatch"), default="scheduler")
    role = parser.parse_args(argv).role
    configure(config_from_environment().LOG_LEVEL)
    if role == "dispatch":
        _dispatch()
    else:
        _scheduler()


if __name__ == "__main__":
    main()
