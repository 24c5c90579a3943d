"""The dates a victim must know first, for My case: the next court hearing, when bail
ends, and when their next update is due, soonest first. Read from the case's events
(the latest word on each wins: an adjourned trial replaces the date it moves)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from portal.models import Case, CaseEvent

COURT = "court"
BAIL_ENDS = "bail_ends"
NEXT_UPDATE = "next_update"

#: Event type -> (kind of date, the param that holds it, the param that holds the place).
_DATED_EVENTS = {
    "charged": (COURT, "court_date", "court_place"),
    "court_date_set": (COURT, "court_date", "court_place"),
    "trial_adjourned": (COURT, "new_date", "court_place"),
    "bailed": (BAIL_ENDS, "bail_until", None),
}
#: Events after which the court and bail dates no longer stand.
_ENDS_DATES = {"outcome_and_sentence", "no_further_action", "out_of_court_disposal"}


@dataclass(frozen=True)
class KeyDate:
    kind: str
    when: datetime
    place: str | None = None


def key_dates(session: Session, case: Case, *, now: datetime) -> list[KeyDate]:
    """The case's dates still to come, soonest first."""
    latest: dict[str, KeyDate] = {}
    events = session.exec(
        select(CaseEvent)
        .where(CaseEvent.case_id == case.id)
        .order_by(CaseEvent.occurred_at, CaseEvent.id)
    ).all()
    for event in events:
        if event.type in _ENDS_DATES:
            latest.clear()
        dated = _DATED_EVENTS.get(event.type)
        if dated is None:
            continue
        kind, date_param, place_param = dated
        value = (event.params or {}).get(date_param)
        if value:
            place = (event.params or {}).get(place_param) if place_param else None
            latest[kind] = KeyDate(kind, datetime.fromisoformat(value), place)
        else:
            latest.pop(kind, None)
    found = [date for date in latest.values() if date.when > now]
    if case.next_update_due_at is not None:
        found.append(KeyDate(NEXT_UPDATE, case.next_update_due_at))
    return sorted(found, key=lambda date: date.when)
