"""A dispatch worker (`python -m jobs dispatch`): sends the outbox, batch after batch.

Run as many as the message volume needs, on any hosts: each batch is claimed with
FOR UPDATE SKIP LOCKED, so workers never share a message, and a claim held by a worker
that died expires and is picked up by another. An idle worker looks again every
DISPATCH_POLL_SECONDS. SIGTERM or SIGINT lets the batch in hand finish (each message's
result is committed as it goes), then the worker exits.
"""

from __future__ import annotations

import logging
import threading

from flask import Flask
from sqlalchemy.exc import OperationalError

from . import sweeps

log = logging.getLogger(__name__)


def run(app: Flask, stop: threading.Event) -> int:
    """Dispatch until `stop` is set; return how many messages this worker sent."""
    poll = app.config["DISPATCH_POLL_SECONDS"]
    sent = 0
    log.info("dispatch worker started")
    while not stop.is_set():
        try:
            result = sweeps.dispatch_batch(app)
        except OperationalError:
            # The database is restarting or unreachable: wait, then carry on.
            log.warning("dispatch: database unavailable, trying again in %s s", poll)
            stop.wait(poll)
            continue
        sent += result.sent
        if not result.claimed:
            stop.wait(poll)
    log.info("dispatch worker stopped after sending %d messages", sent)
    return sent
