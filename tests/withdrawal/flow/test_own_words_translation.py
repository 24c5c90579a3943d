"""The victim's own words in another language: the officer is told they were not machine
translated, asks a person to translate them, and records that; the record's hash sits in a
disclosure, out of the way."""

from __future__ import annotations

from sqlmodel import select

from portal.models import WithdrawalFollowUp
from tests.withdrawal.flow.helpers import requests_of, staff_client, text, victim_client, walk

PROMPT = "Nothing here was translated by a machine"


def test_words_in_polish_come_with_a_translation_prompt_and_can_be_marked(
    app, session, world, base
):
    victim = victim_client(app, session, world.case_a, locale="pl")
    walk(victim, base)
    assert victim.post(f"{base}/check").status_code == 303
    [record] = requests_of(session, world.victim_a.id)
    assert record.locale == "pl"
    officer = staff_client(app, world.staff["officer_north"])
    page = text(officer.get(f"/staff/withdrawals/{record.id}"))
    assert PROMPT in page
    assert "<details><summary>" in page and record.content_hash in page
    officer.post(f"/staff/withdrawals/{record.id}/acknowledge", data={"note": "Read it."})
    done = officer.post(
        f"/staff/withdrawals/{record.id}/follow-ups",
        data={"action": "translation_asked", "note": "Asked the interpreting unit."},
    )
    assert done.status_code == 303
    session.expire_all()
    actions = session.exec(select(WithdrawalFollowUp.action)).all()
    assert "translation_asked" in actions
    assert "Asked a person to translate their words" in text(
        officer.get(f"/staff/withdrawals/{record.id}")
    )


def test_words_in_the_readers_own_language_need_no_prompt(app, session, world, base):
    victim = victim_client(app, session, world.case_a, locale="en")
    walk(victim, base)
    victim.post(f"{base}/check")
    [record] = requests_of(session, world.victim_a.id)
    officer = staff_client(app, world.staff["officer_north"])
    assert PROMPT not in text(officer.get(f"/staff/withdrawals/{record.id}"))
