"""`python -m jobs`: the one scheduler process."""

from __future__ import annotations

import logging

from portal import create_app

from . import build_scheduler


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    app = create_app()
    scheduler = build_scheduler(app)
    logging.getLogger("jobs").info("scheduler started with %d jobs", len(scheduler.get_jobs()))
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        pass


if __name__ == "__main__":
    main()
