"""Where a case stands, for the police system that pushed it: stage, next update due,
its events with their Code deadlines, and every message sent to its victims.

Reading it is a view of each victim's record, so it is audited victim by victim (and the
case itself), through services/access.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from portal.models import Case, CaseEvent, Notification, Victim

from . import access
from .case_intake import find_case


@dataclass(frozen=True)
class CaseStatus:
    case: Case
    victims: list[Victim]
    events: list[CaseEvent]
    notifications: list[Notification]


def read(session: Session, who: access.Principal, reference: str) -> CaseStatus | None:
    """The case's status if `who` may see it (each view audited), else None."""
    case = find_case(session, reference)
    if case is None or access.open_case(session, who, case.id) is None:
        return None
    victims = [
        victim
        for victim in access.victims_of_case(session, case.id)
        if access.open_victim(session, who, victim.id) is not None
    ]
    shown = {victim.id for victim in victims}
    events = session.exec(
        select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)
    ).all()
    notifications = session.exec(
        select(Notification).where(Notification.case_id == case.id).order_by(Notification.id)
    ).all()
    return CaseStatus(
        case=case,
        victims=victims,
        events=list(events),
        notifications=[n for n in notifications if n.victim_id in shown],
    )
