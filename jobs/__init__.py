"""The scheduler: sweeps over the database on fixed schedules.

It runs in exactly one dedicated process (`python -m jobs`), never inside web workers.
In production the outbox is sent by N dispatch worker processes instead
(`python -m jobs.dispatcher`), and the scheduler leaves the outbox to them.
Every sweep is idempotent and safe to run twice at once; the database, not the
scheduler, prevents double sending.
"""

from __future__ import annotations

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask

from . import sweeps

#: (job id, sweep, trigger arguments, misfire grace seconds)
#: Check-ins first: a run of every sweep in order then sends what it queued.
SCHEDULE = (
    ("check_ins", sweeps.check_ins, {"trigger": "interval", "minutes": 10}, 600),
    (
        "withdrawal_confirmations",
        sweeps.withdrawal_confirmations,
        {"trigger": "interval", "minutes": 30},
        1800,
    ),
    # Often: a sign-in code is in the outbox while the victim waits at the screen.
    ("dispatch_outbox", sweeps.dispatch_outbox, {"trigger": "interval", "seconds": 2}, 60),
    ("retention", sweeps.retention, {"trigger": "cron", "hour": 2, "minute": 30}, 6 * 3600),
    # Last, so a run of every sweep also covers what the others wrote to the audit trail.
    ("audit_sequencer", sweeps.sequence_audit, {"trigger": "interval", "seconds": 1}, 5),
)


#: Jobs that dispatch workers (`python -m jobs.dispatcher`) do instead when
#: DISPATCH_IN_SCHEDULER is off, as in production.
DISPATCH_JOBS = frozenset({"dispatch_outbox"})


def build_scheduler(app: Flask, scheduler: BaseScheduler | None = None) -> BaseScheduler:
    scheduler = scheduler or BlockingScheduler(timezone=app.config["SCHEDULER_TIMEZONE"])
    for job_id, sweep, trigger, grace in SCHEDULE:
        if job_id in DISPATCH_JOBS and not app.config["DISPATCH_IN_SCHEDULER"]:
            continue
        scheduler.add_job(
            sweep,
            args=[app],
            id=job_id,
            name=job_id,
            replace_existing=True,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=grace,
            **trigger,
        )
    return scheduler


def run_once(app: Flask) -> dict[str, int]:
    """Run every sweep once, in schedule order (tests and operators)."""
    return {job_id: sweep(app) for job_id, sweep, _trigger, _grace in SCHEDULE}
