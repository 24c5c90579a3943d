"""Someone who says they were pressured or threatened gets a response at once: what
happens now (the officer and a supervisor are told, straight away), help they can call
now, and that it is not their fault; on every later step and on the receipt."""

from __future__ import annotations

from tests.withdrawal.flow.helpers import GOOD, SAFETY, alerts, staff_client, text, walk

PRESSURED = {**SAFETY, "pressure": "yes"}
HEADING = "You told us someone pressured or threatened you"


def test_saying_yes_to_pressure_is_answered_at_once_and_told_to_officer_and_supervisor(
    victim_a, base, session, world
):
    walk(victim_a, base, through="reasons")
    assert not alerts(session, "withdrawal_pressure_reported")
    response = victim_a.post(f"{base}/safety", data=PRESSURED)
    page = text(victim_a.get(response.headers["Location"]))
    assert HEADING in page
    assert "This is not your fault." in page
    assert 'href="tel:999"' in page and 'href="tel:08082000247"' in page
    assert 'href="tel:08081689111"' in page
    told = {alert.staff_id for alert in alerts(session, "withdrawal_pressure_reported")}
    assert told == {world.staff["officer_north"].id, world.staff["supervisor_north"].id}


def test_the_receipt_says_it_again_and_the_alert_is_not_repeated(victim_a, base, session):
    walk(victim_a, base, safety=PRESSURED)
    victim_a.post(f"{base}/safety", data={**PRESSURED, "change": "1"})  # saved again
    assert victim_a.post(f"{base}/check").status_code == 303
    receipt = text(victim_a.get(f"{base}/receipt"))
    assert HEADING in receipt and "This is not your fault." in receipt
    assert len(alerts(session, "withdrawal_pressure_reported")) == 2  # officer, supervisor


def test_no_pressure_no_notice_and_no_alert(victim_a, base, session):
    walk(victim_a, base, through="safety")
    assert HEADING not in text(victim_a.get(f"{base}/wishes"))
    assert not alerts(session, "withdrawal_pressure_reported")


def test_the_notice_is_in_the_victims_language(app, session, world, base):
    from tests.withdrawal.flow.helpers import victim_client

    client = victim_client(app, session, world.case_a, locale="pl")
    walk(client, base, through="reasons")
    client.post(f"{base}/safety", data=PRESSURED)
    page = text(client.get(f"{base}/wishes"))
    assert "To nie jest Twoja wina." in page and HEADING not in page


def test_the_officer_reads_what_was_reported_and_what_help_was_asked(
    app, victim_a, base, session, world
):
    walk(victim_a, base, through="wishes", safety=PRESSURED)
    victim_a.post(f"{base}/help", data={**GOOD["help"], "offers": ["callback", "another_officer"]})
    page = text(staff_client(app, world.staff["officer_north"]).get("/staff/alerts"))
    assert "A victim said they were pressured or threatened about the case: safeguarding" in page
    assert "A victim asked for help instead of withdrawing" in page
    assert "They asked for: Another officer, A call back" in page or (
        "They asked for: A call back, Another officer" in page
    )
    assert "Something on this case needs your attention" not in page
