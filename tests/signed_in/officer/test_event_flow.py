"""An officer records an event: the form, the exact preview per victim, send or schedule."""

from datetime import UTC, datetime, time, timedelta

from sqlmodel import Session, select

from portal.models import CaseEvent, CaseStage, Notification, Victim
from portal.models.base import utcnow
from portal.services.notification_text import render, sms_segments
from portal.services.working_days import LONDON
from tests.people import audit_events, sign_in_staff
from tests.signed_in.officer.helpers import hidden_fields, start_form, when

COURT = datetime(2031, 7, 7, 9, 30, tzinfo=LONDON)  # a Monday, UK summer time


def _signed_in_officer(client, world, who="officer_north"):
    assert sign_in_staff(client, world.staff[who]).status_code == 303


def _update_victim(app, victim_id, **fields):
    with Session(app.extensions["db_engine"]) as db:
        victim = db.get(Victim, victim_id)
        for name, value in fields.items():
            setattr(victim, name, value)
        db.add(victim)
        db.commit()


def _charged(client, world, **extra):
    form = start_form(client, world.case_a.id, "charged")
    form.update(offence="Assault by beating", court_place="Leeds Magistrates' Court")
    form.update(when(COURT, "court_date"))
    form.update(extra)
    return form


def test_the_form_shows_the_fields_of_the_event_and_labels_officer_text(client, world):
    _signed_in_officer(client, world)
    choose = client.get(f"/staff/cases/{world.case_a.id}/events/new").get_data(as_text=True)
    assert "Suspect charged" in choose and "type=charged" in choose
    page = client.get(f"/staff/cases/{world.case_a.id}/events/new?type=charged")
    html = page.get_data(as_text=True)
    for label in ("Offence charged", "Court date and time", "Court", "When it happened"):
        assert label in html
    assert "it is not translated" in html  # above the offence: the officer's own words


def test_bad_input_gets_clear_errors_and_loses_nothing(client, session, world):
    _signed_in_officer(client, world)
    form = _charged(client, world, court_place="", court_date_date="2031-02-30")
    form.update(offence="x" * 501, send="later", send_date="", send_time="")
    response = client.post(f"/staff/cases/{world.case_a.id}/events/preview", data=form)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'class="error-summary"' in html
    assert 'href="#offence"' in html and "use 500 characters or fewer (you used 501)" in html
    assert 'href="#court_place"' in html and "Court: fill this in." in html
    assert 'href="#court_date"' in html and "enter a date like 2026-07-06" in html
    assert 'href="#send"' in html and "Send at: enter a date and a time." in html
    assert "x" * 501 in html and 'value="2031-02-30"' in html  # what was typed stays
    assert session.exec(select(CaseEvent)).first() is None


def test_a_time_skipped_by_the_clocks_going_forward_is_refused(client, world):
    _signed_in_officer(client, world)
    form = _charged(client, world, court_date_date="2031-03-30", court_date_time="01:30")
    response = client.post(f"/staff/cases/{world.case_a.id}/events/preview", data=form)
    assert response.status_code == 400
    assert "the clocks go forward" in response.get_data(as_text=True)


def test_preview_shows_the_exact_message_in_the_victims_language(client, session, world):
    _signed_in_officer(client, world)
    form = _charged(client, world)
    response = client.post(f"/staff/cases/{world.case_a.id}/events/preview", data=form)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    params = {
        "offence": "Assault by beating",
        "court_date": COURT.astimezone(UTC).isoformat(),
        "court_place": "Leeds Magistrates' Court",
    }
    expected, english = (_render(world, "charged", locale, params) for locale in ("pl", "en"))
    assert expected.sms != english.sms  # the Polish catalog really was used
    assert _escaped(expected.sms) in html and _escaped(expected.subject) in html
    assert 'Text message to <bdi dir="ltr">+447700900001</bdi>' in html
    assert 'Email to <bdi dir="ltr">a@example.com</bdi>' in html
    segments = sms_segments(expected.sms)
    assert segments.encoding == "UCS-2"  # Polish letters are outside GSM-7
    shown = f"{segments.segments} text messages · UCS-2 · {segments.units} units"
    assert shown in html
    assert 'lang="pl" dir="ltr"' in html
    # Nothing is saved by a preview; each victim shown is an audited view of their record.
    assert session.exec(select(Notification)).first() is None
    views = [e.subject for e in audit_events(session, "victim.view")]
    assert f"victim:{world.victim_a.id}" in views


def _render(world, key, locale, params):
    """What victim A would get in `locale`, rendered by the notification texts."""
    return render(
        key,
        locale=locale,
        params=params,
        crime_reference=world.case_a.crime_reference,
        discreet=False,
    )


def _escaped(text: str) -> str:
    from markupsafe import escape

    return str(escape(text))


def test_preview_in_a_right_to_left_language(app, client, world):
    _update_victim(app, world.victim_a.id, locale="ar")
    _signed_in_officer(client, world)
    form = start_form(client, world.case_a.id, "suspect_arrested")
    html = client.post(f"/staff/cases/{world.case_a.id}/events/preview", data=form).get_data(
        as_text=True
    )
    expected = _render(world, "suspect_arrested", "ar", {})
    assert f'<pre class="message-body" lang="ar" dir="rtl">{_escaped(expected.sms)}</pre>' in html
    assert "UCS-2" in html


def test_preview_for_a_discreet_victim_names_nothing(client, world):
    _signed_in_officer(client, world, "officer_south")
    form = start_form(client, world.case_b.id, "suspect_arrested")
    html = client.post(f"/staff/cases/{world.case_b.id}/events/preview", data=form).get_data(
        as_text=True
    )
    body = html.split('<pre class="message-body"', 1)[1].split("</pre>", 1)[0]
    assert "You have a new message. Please sign in to read it." in body
    assert world.case_b.crime_reference not in body and "arrest" not in body.lower()
    assert "1 text message · GSM-7 · 50 units" in html
    assert "Discreet: the message names nothing" in html
    assert "Email to" not in html  # victim B gave no email address


def test_an_unreachable_victim_is_flagged_in_the_preview(app, client, world):
    _update_victim(app, world.victim_a.id, sms_allowed=False, email_allowed=False)
    _signed_in_officer(client, world)
    form = start_form(client, world.case_a.id, "suspect_arrested")
    html = client.post(f"/staff/cases/{world.case_a.id}/events/preview", data=form).get_data(
        as_text=True
    )
    assert "We have no safe way to send this victim a message" in html


def test_send_now_queues_each_message_exactly_once_on_double_submit(client, session, world):
    _signed_in_officer(client, world)
    preview = client.post(
        f"/staff/cases/{world.case_a.id}/events/preview", data=_charged(client, world)
    )
    confirm = hidden_fields(preview.get_data(as_text=True))
    first = client.post(f"/staff/cases/{world.case_a.id}/events", data=confirm)
    second = client.post(f"/staff/cases/{world.case_a.id}/events", data=confirm)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    session.expire_all()
    [event] = session.exec(select(CaseEvent)).all()
    assert event.recorded_by_id == world.staff["officer_north"].id
    assert event.params["offence"] == "Assault by beating"
    rows = session.exec(select(Notification)).all()
    assert sorted(row.channel for row in rows) == ["email", "sms"]
    assert all(row.not_before <= utcnow() for row in rows)  # now: no safe hours set
    assert session.get(type(world.case_a), world.case_a.id).stage == CaseStage.CHARGED
    page = client.get(first.headers["Location"]).get_data(as_text=True)
    assert "The event is recorded" in page and "Suspect charged" in page


def test_send_at_a_chosen_uk_time_stores_not_before_in_utc(client, session, world):
    _signed_in_officer(client, world)
    day = (utcnow().astimezone(LONDON) + timedelta(days=3)).date()
    chosen = datetime.combine(day, time(10, 15), tzinfo=LONDON)
    form = start_form(client, world.case_a.id, "suspect_arrested")
    form.update(send="later", **when(chosen, "send"))
    preview = client.post(f"/staff/cases/{world.case_a.id}/events/preview", data=form)
    html = preview.get_data(as_text=True)
    assert "You chose to send them at" in html
    response = client.post(f"/staff/cases/{world.case_a.id}/events", data=hidden_fields(html))
    assert response.status_code == 303
    session.expire_all()
    rows = session.exec(select(Notification)).all()
    assert len(rows) == 2
    assert {row.not_before for row in rows} == {chosen.astimezone(UTC)}


def test_safe_hours_still_apply_to_a_scheduled_send(app, client, session, world):
    _update_victim(app, world.victim_a.id, safe_hours_start=time(18), safe_hours_end=time(21))
    _signed_in_officer(client, world)
    day = (utcnow().astimezone(LONDON) + timedelta(days=3)).date()
    form = start_form(client, world.case_a.id, "suspect_arrested")
    form.update(send="later", **when(datetime.combine(day, time(10), tzinfo=LONDON), "send"))
    html = client.post(f"/staff/cases/{world.case_a.id}/events/preview", data=form).get_data(
        as_text=True
    )
    assert "It waits for the victim's safe contact hours." in html
    client.post(f"/staff/cases/{world.case_a.id}/events", data=hidden_fields(html))
    session.expire_all()
    opening = datetime.combine(day, time(18), tzinfo=LONDON).astimezone(UTC)
    assert {row.not_before for row in session.exec(select(Notification))} == {opening}


def test_a_send_time_in_the_past_is_refused(client, world):
    _signed_in_officer(client, world)
    form = start_form(client, world.case_a.id, "suspect_arrested")
    form.update(send="later", **when(utcnow() - timedelta(hours=2), "send"))
    response = client.post(f"/staff/cases/{world.case_a.id}/events/preview", data=form)
    assert response.status_code == 400
    assert "Send at: choose a time in the future." in response.get_data(as_text=True)


def test_a_tampered_confirm_form_is_checked_again(client, session, world):
    _signed_in_officer(client, world)
    preview = client.post(
        f"/staff/cases/{world.case_a.id}/events/preview", data=_charged(client, world)
    )
    confirm = hidden_fields(preview.get_data(as_text=True))
    confirm["court_place"] = ""
    response = client.post(f"/staff/cases/{world.case_a.id}/events", data=confirm)
    assert response.status_code == 400
    assert session.exec(select(CaseEvent)).first() is None
