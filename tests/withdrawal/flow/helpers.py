"""Helpers for the victim's withdrawal flow tests: good answers, walking the steps,
clients signed in, and reading what was stored."""

from __future__ import annotations

import re

from sqlmodel import select

from portal.models import ServiceRecoveryRequest, StaffAlert, WithdrawalRequest
from portal.models.base import utcnow
from portal.services import withdrawal_flow
from portal.services.withdrawal_flow import Acting
from tests.people import sign_in_staff, sign_in_victim

REASONS = {"reasons": ["process_too_long", "move_on"], "own_words": "Chcę zapomnieć i żyć dalej."}
SAFETY = {
    "pressure": "no",
    "safe_to_contact": "yes",
    "safe_contact_channel": "sms",
    "safe_from": "09:00",
    "safe_until": "17:00",
}
WISHES = {
    "support_now": "no",
    "evidence_led": "not_sure",
    "keep_updates": "yes",
    "update_channels": ["sms"],
    "talk_first": "no",
}
GOOD = {"about": {}, "reasons": REASONS, "safety": SAFETY, "wishes": WISHES, "help": {}}
ORDER = ("about", "reasons", "safety", "wishes", "help")


def victim_client(app, session, case, locale: str | None = "en"):
    """A victim signed in with this case's reference (reading English unless told)."""
    client = app.test_client()
    if locale:
        client.set_cookie("lang", locale)
    sign_in_victim(client, session, case.crime_reference)
    return client


def staff_client(app, user):
    client = app.test_client()
    client.set_cookie("lang", "en")
    assert sign_in_staff(client, user).status_code == 303
    return client


def walk(client, base: str, through: str = "help", **answers) -> None:
    """Answer every step up to and including `through` (good answers unless overridden)."""
    for step in ORDER[: ORDER.index(through) + 1]:
        response = client.post(f"{base}/{step}", data=answers.get(step, GOOD[step]))
        assert response.status_code == 303, (step, response.status_code)


def ready_draft(session, world, now=None) -> WithdrawalRequest:
    """Victim A's draft with every step answered, through the flow's own services."""
    acting, now = Acting.victim(world.victim_a.id), now or utcnow()
    case_id, victim_id = world.case_a.id, world.victim_a.id
    draft = withdrawal_flow.start(session, case_id, victim_id, locale="en", acting=acting, now=now)
    withdrawal_flow.save_reasons(
        session, draft, ["move_on"], None, locale="en", acting=acting, now=now, then="safety"
    )
    for step, answers in (
        ("safety", {"pressure": "no", "safe_to_contact": "no"}),
        ("wishes", {"support_now": "no", "evidence_led": "no", "keep_updates": "no",
                    "talk_first": "no"}),
    ):  # fmt: skip
        withdrawal_flow.save_answers(
            session, draft, step, answers, acting=acting, now=now, then="help"
        )
    withdrawal_flow.pass_help(session, draft, acting=acting, now=now)
    session.commit()
    return draft


def text(response) -> str:
    return response.get_data(as_text=True)


def error_links(response) -> dict[str, str]:
    """The error summary: {anchor: message}."""
    summary = re.search(r'class="error-summary".*?</ul>', text(response), re.S)
    assert summary, "no error summary"
    return dict(re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary.group(0)))


def rows(session, model, **where) -> list:
    session.expire_all()
    query = select(model)
    for name, value in where.items():
        query = query.where(getattr(model, name) == value)
    return list(session.exec(query).all())


def requests_of(session, victim_id: int) -> list[WithdrawalRequest]:
    return sorted(rows(session, WithdrawalRequest, victim_id=victim_id), key=lambda r: r.version)


def alerts(session, kind: str | None = None) -> list[StaffAlert]:
    return [a for a in rows(session, StaffAlert) if kind is None or a.kind == kind]


def asks(session) -> list[ServiceRecoveryRequest]:
    return rows(session, ServiceRecoveryRequest)
