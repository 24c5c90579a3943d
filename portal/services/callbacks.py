"""A victim asks for a call back: an alert for the case's officer, once per case per day.

The alert holds ids and a kind code only. When to call is the victim's saved safe
contact hours, which the officer sees on the victim's record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from portal.models import Case

from . import access
from .alerts import raise_alert, supervisor_for_area
from .working_days import LONDON

KIND = "callback_requested"


@dataclass(frozen=True)
class CallbackRequest:
    case: Case
    #: False when this case already had a call back asked for today.
    new: bool


def request_callback(
    session: Session, who: access.Principal, case_id: int, *, now: datetime
) -> CallbackRequest | None:
    """Ask the officer in charge (or, with none, the area's supervisor) to call back.

    None when `who` may not see the case; the request and any refusal are audited.
    """
    case = access.open_case(session, who, case_id, action="callback.request")
    if case is None:
        return None
    day = now.astimezone(LONDON).date().isoformat()
    new = raise_alert(
        session,
        kind=KIND,
        staff_id=case.officer_id or supervisor_for_area(session, case.force, case.area),
        case_id=case.id,
        victim_id=who.id if who.kind == "victim" else None,
        dedupe_key=f"{KIND}:{case.id}:{day}",
        now=now,
    )
    return CallbackRequest(case=case, new=new)
