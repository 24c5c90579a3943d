"""Thin sweep functions: open an app context, call one service, log the count."""

from __future__ import annotations

import logging

from flask import Flask

from portal.db import session_scope
from portal.models.base import utcnow
from portal.services import messaging, updates

log = logging.getLogger(__name__)


def dispatch_outbox(app: Flask) -> int:
    return dispatch_batch(app).sent


def dispatch_batch(app: Flask, *, batch_size: int = 100) -> messaging.DispatchResult:
    """Claim and send one batch from the outbox (the scheduler's job, and each loop of
    a dispatch worker)."""
    with app.app_context(), session_scope() as session:
        result = messaging.dispatch_due(
            session,
            sms=app.extensions["sms_provider"],
            email=app.extensions["email_provider"],
            batch_size=batch_size,
        )
    if result.claimed:
        log.info(
            "dispatch: %s sent, %s retrying, %s failed", result.sent, result.retrying, result.failed
        )
    return result


def check_ins(app: Flask) -> int:
    with app.app_context(), session_scope() as session:
        result = updates.run_check_ins(session, now=utcnow())
    if result.cases:
        log.info(
            "check-ins: %s cases due, %s messages queued, %s unreachable, %s escalated",
            result.cases,
            result.queued,
            result.unreachable,
            result.escalated,
        )
    return result.queued
