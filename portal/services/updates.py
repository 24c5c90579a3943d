"""Routine check-ins and the compliance figures supervisors see.

The check-in sweep walks only the due rows (open cases whose next_update_due_at has
passed, through its index, in keyset-paged batches), so its cost grows with the number
of due cases, not with the number of cases. For each victim who has heard nothing within
their agreed frequency it queues a check-in in their language and alerts the officer; a
case overdue beyond GRACE_PERIOD is escalated to the area's supervisor. Every message
and alert has a key, so running the sweep twice (or two sweeps at once) adds nothing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session

from portal.models import Case, CaseEvent, CaseVictim, Notification, NotificationStatus, Victim

from .alerts import alert_row, raise_alerts, supervisor_for_area
from .case_events import notification_row, plan_messages
from .contact import insert_notifications
from .notification_text import CHECK_IN

GRACE_PERIOD = timedelta(days=7)
OVERDUE = "check_in_overdue"
BATCH_SIZE = 500


@dataclass
class CheckInResult:
    cases: int = 0
    queued: int = 0
    unreachable: int = 0
    escalated: int = 0


def run_check_ins(
    session: Session, *, now: datetime, batch_size: int = BATCH_SIZE
) -> CheckInResult:
    """Queue the check-ins that are due at `now`; commits after each batch."""
    result = CheckInResult()
    after: tuple[datetime, int] | None = None
    while True:
        cases = _due_cases(session, now=now, after=after, limit=batch_size)
        if not cases:
            return result
        # Read the page's end before the batch moves these cases' next due dates on.
        after = (cases[-1].next_update_due_at, cases[-1].id)
        _check_in_batch(session, cases, now=now, result=result)
        session.commit()


def _due_cases(
    session: Session, *, now: datetime, after: tuple[datetime, int] | None, limit: int
) -> list[Case]:
    query = (
        sa.select(Case)
        .where(Case.closed_at.is_(None), Case.next_update_due_at <= now)
        .order_by(Case.next_update_due_at, Case.id)
        .limit(limit)
    )
    if after is not None:
        query = query.where(sa.tuple_(Case.next_update_due_at, Case.id) > after)
    return list(session.execute(query).scalars().all())


def _check_in_batch(
    session: Session, cases: list[Case], *, now: datetime, result: CheckInResult
) -> None:
    """One page of due cases in a fixed number of statements, whatever its size."""
    case_ids = [case.id for case in cases]
    victims_by_case: dict[int, list[Victim]] = defaultdict(list)
    for case_id, victim in session.execute(
        sa.select(CaseVictim.case_id, Victim)
        .join(Victim, Victim.id == CaseVictim.victim_id)
        .where(CaseVictim.case_id.in_(case_ids))
        .order_by(Victim.id)
    ).all():
        victims_by_case[case_id].append(victim)
    last_message = _last_message_at(session, case_ids)
    supervisors: dict[tuple[str, str], int | None] = {}

    rows, alerts, updates = [], [], []
    for case in cases:
        result.cases += 1
        due_day = case.next_update_due_at.date().isoformat()
        queued_for_case = False
        unreachable = False
        frequencies = []
        for victim in victims_by_case[case.id]:
            frequency = timedelta(days=victim.update_frequency_days)
            frequencies.append(frequency)
            last = last_message.get((case.id, victim.id))
            if last is not None and last > now - frequency:
                continue  # they heard from us within their agreed frequency
            planned = plan_messages(session, case, CHECK_IN, {}, now=now, victims=[victim])
            if not planned:
                unreachable = True
                result.unreachable += 1
                alerts.append(
                    alert_row(
                        kind="victim_unreachable",
                        staff_id=case.officer_id,
                        case_id=case.id,
                        victim_id=victim.id,
                        dedupe_key=f"no_channel:{case.id}:{victim.id}:{due_day}",
                        now=now,
                    )
                )
            for message in planned:
                queued_for_case = True
                rows.append(
                    notification_row(
                        message,
                        case_id=case.id,
                        event_id=None,
                        template_key=CHECK_IN,
                        params={},
                        idempotency_key=f"checkin:{case.id}:{victim.id}:{due_day}:{message.channel}",
                        now=now,
                    )
                )
        if queued_for_case:
            alerts.append(
                alert_row(
                    kind="check_in_sent",
                    staff_id=case.officer_id,
                    case_id=case.id,
                    dedupe_key=f"check_in:{case.id}:{due_day}",
                    now=now,
                )
            )
        if now - case.next_update_due_at > GRACE_PERIOD:
            area = (case.force, case.area)
            if area not in supervisors:
                supervisors[area] = supervisor_for_area(session, *area)
            alerts.append(
                alert_row(
                    kind=OVERDUE,
                    staff_id=supervisors[area],
                    case_id=case.id,
                    dedupe_key=f"overdue:{case.id}:{due_day}",
                    now=now,
                )
            )
        if queued_for_case and not unreachable:
            # The next due date moves on; sending the check-in moves it again (from then).
            updates.append({"id": case.id, "next_update_due_at": now + min(frequencies)})
    result.queued += insert_notifications(session, rows)
    result.escalated += raise_alerts(session, alerts).count(OVERDUE)
    if updates:
        session.execute(sa.update(Case), updates)


def _last_message_at(session: Session, case_ids: list[int]) -> dict[tuple[int, int], datetime]:
    """When each victim of these cases was last sent (or queued) a message about it."""
    table = Notification.__table__
    last_created = sa.type_coerce(sa.func.max(table.c.created_at), table.c.created_at.type)
    query = (
        sa.select(table.c.case_id, table.c.victim_id, last_created)
        .where(
            table.c.case_id.in_(case_ids),
            table.c.status.notin_([NotificationStatus.FAILED, NotificationStatus.CANCELLED]),
        )
        .group_by(table.c.case_id, table.c.victim_id)
    )
    return {(case_id, victim_id): last for case_id, victim_id, last in session.execute(query)}


# --- Compliance -------------------------------------------------------------------------


@dataclass(frozen=True)
class AreaCompliance:
    area: str
    timed_events: int  # events the Code times whose deadline has passed or were told
    told_in_time: int
    overdue_check_ins: int
    unreachable_victims: int

    @property
    def told_in_time_percent(self) -> float | None:
        if not self.timed_events:
            return None
        return round(100 * self.told_in_time / self.timed_events, 1)


def compliance_by_area(
    session: Session, *, now: datetime, scope: sa.ColumnElement[bool]
) -> list[AreaCompliance]:
    """Victims' Code compliance per area among the cases of `scope` (the reader's force:
    access.oversight_scope), computed in the database."""
    event, case, victim = CaseEvent.__table__, Case.__table__, Victim.__table__
    counted = sa.or_(event.c.victims_told_at.is_not(None), event.c.tell_by < now)
    events = dict(
        (area, (total, in_time))
        for area, total, in_time in session.execute(
            sa.select(
                case.c.area,
                sa.func.count(),
                sa.func.coalesce(
                    sa.func.sum(sa.case((event.c.told_in_time.is_(True), 1), else_=0)), 0
                ),
            )
            .select_from(event.join(case, case.c.id == event.c.case_id))
            .where(scope, event.c.tell_by.is_not(None), counted)
            .group_by(case.c.area)
        ).all()
    )
    overdue = dict(
        session.execute(
            sa.select(case.c.area, sa.func.count())
            .where(scope, case.c.closed_at.is_(None), case.c.next_update_due_at < now)
            .group_by(case.c.area)
        ).all()
    )
    sms_ok = sa.and_(
        victim.c.sms_allowed.is_(True),
        victim.c.phone_e164.is_not(None),
        victim.c.sms_opted_out_at.is_(None),
        victim.c.phone_unreachable_at.is_(None),
    )
    email_ok = sa.and_(
        victim.c.email_allowed.is_(True),
        victim.c.email.is_not(None),
        victim.c.email_unreachable_at.is_(None),
    )
    link = CaseVictim.__table__
    unreachable = dict(
        session.execute(
            sa.select(case.c.area, sa.func.count(sa.distinct(victim.c.id)))
            .select_from(
                case.join(link, link.c.case_id == case.c.id).join(
                    victim, victim.c.id == link.c.victim_id
                )
            )
            .where(scope, case.c.closed_at.is_(None), sa.not_(sa.or_(sms_ok, email_ok)))
            .group_by(case.c.area)
        ).all()
    )
    areas = sorted(set(events) | set(overdue) | set(unreachable))
    return [
        AreaCompliance(
            area=area,
            timed_events=events.get(area, (0, 0))[0],
            told_in_time=int(events.get(area, (0, 0))[1]),
            overdue_check_ins=overdue.get(area, 0),
            unreachable_victims=unreachable.get(area, 0),
        )
        for area in areas
    ]
