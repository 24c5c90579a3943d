"""`python -m jobs`: the one scheduler process."""

from __future__ import annotations

import logging

import sqlalchemy as sa
from flask import Flask

from portal import create_app

from . import build_scheduler, run_once

log = logging.getLogger("jobs")


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    # The outbox job runs every 2 seconds: its "Running job" lines would drown the log.
    logging.getLogger("apscheduler.executors").setLevel(logging.WARNING)
    app = create_app()
    scheduler = build_scheduler(app)
    catch_up(app)
    log.info("scheduler started with %d jobs", len(scheduler.get_jobs()))
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        pass


def catch_up(app: Flask) -> None:
    """Run every sweep once, in order, before the schedule starts.

    Interval jobs first fire one interval after start (check-ins ten minutes later), so
    without this a scheduler restarted after being down would sit on what fell due in the
    meantime. The sweeps are idempotent, so this adds nothing when nothing is due.
    """
    try:
        counts = run_once(app)
    except sa.exc.DBAPIError as exc:
        log.warning("catch-up skipped: database unavailable (%s)", type(exc).__name__)
        return
    log.info("caught up: %s", ", ".join(f"{job} {count}" for job, count in counts.items()))


if __name__ == "__main__":
    main()
