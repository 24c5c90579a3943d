"""Thin sweep functions: open an app context, call one service, log the count."""

from __future__ import annotations

import logging

from flask import Flask

from portal.db import session_scope
from portal.models.base import utcnow
from portal.services import audit, messaging, updates, withdrawal_confirmation
from portal.services.retention import run as run_retention

log = logging.getLogger(__name__)


def dispatch_outbox(app: Flask) -> int:
    return dispatch_batch(app).sent


def dispatch_batch(
    app: Flask, *, batch_size: int = 100, max_lane: int | None = None
) -> messaging.DispatchResult:
    """Claim and send one batch from the outbox (the scheduler's job, and each loop of
    a dispatch worker); `max_lane` keeps a worker for the most urgent lanes only."""
    sms = app.extensions["sms_provider"]
    rate = messaging.SmsRate(
        app.config["SMS_SENDS_PER_SECOND"], app.config["SMS_SEND_BURST"], sms.sender
    )
    with app.app_context(), session_scope() as session:
        result = messaging.dispatch_due(
            session,
            sms=sms,
            email=app.extensions["email_provider"],
            concurrency=app.config["DISPATCH_CONCURRENCY"],
            sms_rate=rate,
            batch_size=batch_size,
            lease_seconds=app.config["DISPATCH_CLAIM_SECONDS"],
            secret_key=app.config["SECRET_KEY"],
            max_lane=max_lane,
        )
    if result.claimed:
        log.info(
            "dispatch: %s sent, %s reconciled, %s retrying, %s failed",
            result.sent,
            result.reconciled,
            result.retrying,
            result.failed,
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


def retention(app: Flask) -> int:
    with app.app_context(), session_scope() as session:
        counts = run_retention(session, days=app.config["RETENTION_DAYS"], now=utcnow())
    log.info("retention: %s", ", ".join(f"{kind} {n}" for kind, n in counts.items()))
    return sum(counts.values())


def withdrawal_confirmations(app: Flask) -> int:
    """Officer-recorded withdrawals nobody answered in 14 days go to the supervisor."""
    with app.app_context(), session_scope() as session:
        flagged = withdrawal_confirmation.flag_unanswered(session, now=utcnow())
    if flagged:
        log.info("withdrawal confirmations: %s unanswered, flagged to supervisors", flagged)
    return flagged


def sequence_audit(app: Flask) -> int:
    """Give every committed audit entry its log index, a signed checkpoint per batch,
    and hand each checkpoint to the witness; log the lag, and alert past the limit."""
    key, batch = app.extensions["audit_key"], app.config["AUDIT_SEQUENCER_BATCH"]
    witness_dir = app.config["AUDIT_WITNESS_DIR"]
    total = 0
    with app.app_context():
        while True:
            with session_scope() as session:
                result = audit.sequence_batch(session, key, now=utcnow(), batch_size=batch)
            total += result.sequenced
            if result.note and witness_dir:
                try:
                    audit.witness.export(witness_dir, result.note)
                except OSError as exc:
                    reason = type(exc).__name__
                    log.error("ALERT audit witness: checkpoint not exported (%s)", reason)
            if result.busy or result.sequenced < batch:
                break
        with session_scope() as session:
            health = audit.log_health(
                session,
                key=key.verifier,
                witness_dir=witness_dir or None,
                now=utcnow(),
                limit_seconds=app.config["AUDIT_LAG_ALERT_SECONDS"],
            )
    if health.alert:
        log.error(
            "ALERT audit sequencer lag %.1f s is over the %.0f s limit (%s entries waiting)",
            health.lag_seconds,
            health.limit_seconds,
            health.waiting,
        )
    elif total:
        log.info(
            "audit: %s entries sequenced, tree size %s, lag %.1f s",
            total,
            health.tree_size,
            health.lag_seconds,
        )
    return total
