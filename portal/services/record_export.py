"""A download of a victim's record: only what the member of staff may already see.

The export holds the victim's record and consents, the cases of theirs that the person
exporting may see (with their events), and the messages sent to the victim about those
cases. The caller opens the record through `access.open_victim(action="export")`, which
checks access and writes the audit event.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from portal.models import Case, CaseEvent, CaseVictim, ConsentRecord, Notification, Victim

from .access import Principal, may_see_case

#: The message fields a member of staff may read (no provider internals).
MESSAGE_FIELDS = (
    "id",
    "case_id",
    "event_id",
    "channel",
    "locale",
    "template_key",
    "discreet",
    "to_address",
    "subject",
    "body",
    "status",
    "not_before",
    "created_at",
    "sent_at",
    "delivered_at",
    "failed_at",
)


def _visible_cases(session: Session, who: Principal, victim_id: int) -> list[Case]:
    cases = session.exec(
        select(Case)
        .join(CaseVictim, CaseVictim.case_id == Case.id)
        .where(CaseVictim.victim_id == victim_id)
        .order_by(Case.id)
    ).all()
    return [case for case in cases if may_see_case(session, who, case)]


def victim_export(
    session: Session, who: Principal, victim: Victim, *, now: datetime
) -> dict[str, Any]:
    """The victim's record as JSON-ready data, limited to what `who` may see."""
    cases = _visible_cases(session, who, victim.id)
    case_ids = [case.id for case in cases]
    events = session.exec(
        select(CaseEvent).where(CaseEvent.case_id.in_(case_ids)).order_by(CaseEvent.id)
    ).all()
    messages = session.exec(
        select(Notification)
        .where(Notification.victim_id == victim.id, Notification.case_id.in_(case_ids))
        .order_by(Notification.id)
    ).all()
    consents = session.exec(
        select(ConsentRecord).where(ConsentRecord.victim_id == victim.id).order_by(ConsentRecord.id)
    ).all()
    return {
        "exported_at": now.isoformat(),
        "exported_by": who.ref,
        "victim": victim.model_dump(mode="json"),
        "consents": [consent.model_dump(mode="json") for consent in consents],
        "cases": [
            {
                **case.model_dump(mode="json"),
                "events": [
                    event.model_dump(mode="json", exclude={"idempotency_key"})
                    for event in events
                    if event.case_id == case.id
                ],
            }
            for case in cases
        ],
        "messages": [
            message.model_dump(mode="json", include=set(MESSAGE_FIELDS)) for message in messages
        ],
    }
