"""The victim was promised "we will contact you only in the way you said is safe": the
officer sees those answers first, wherever they act on the withdrawal or the ask for help."""

from __future__ import annotations

import re

from tests.withdrawal.flow.helpers import (
    GOOD,
    asks,
    requests_of,
    staff_client,
    text,
    walk,
)

HEADING = "How the victim said it is safe to contact them"


def _safe_contact_section(page: str) -> str:
    found = re.search(
        r'<section class="notice" aria-labelledby="safe-contact-title">.*?</section>', page, re.S
    )
    assert found, "no safe-contact section"
    return found.group(0)


def test_the_ask_for_help_shows_how_to_contact_them_safely(app, victim_a, base, session, world):
    walk(victim_a, base, through="wishes")
    victim_a.post(f"{base}/help", data={**GOOD["help"], "offers": ["callback"]})
    [ask] = asks(session)
    officer = staff_client(app, world.staff["officer_north"])
    section = _safe_contact_section(text(officer.get(f"/staff/withdrawals/asks/{ask.id}")))
    assert HEADING in section
    assert "Text message" in section and "09:00" in section and "17:00" in section


def test_the_confirmed_withdrawal_shows_it_too(app, victim_a, base, session, world):
    walk(victim_a, base)
    assert victim_a.post(f"{base}/check").status_code == 303
    [record] = requests_of(session, world.victim_a.id)
    officer = staff_client(app, world.staff["officer_north"])
    section = _safe_contact_section(text(officer.get(f"/staff/withdrawals/{record.id}")))
    assert "Text message" in section


def test_when_the_victim_said_nothing_the_officer_is_told_to_ask_first(
    app, victim_a, base, session, world
):
    walk(victim_a, base, through="reasons")
    victim_a.post(f"{base}/safety", data={"pressure": "no", "safe_to_contact": "not_sure"})
    victim_a.post(f"{base}/wishes", data=GOOD["wishes"])
    victim_a.post(f"{base}/help", data={**GOOD["help"], "offers": ["callback"]})
    [ask] = asks(session)
    officer = staff_client(app, world.staff["officer_north"])
    section = _safe_contact_section(text(officer.get(f"/staff/withdrawals/asks/{ask.id}")))
    assert "Not sure" in section
