"""A withdrawal the officer took by phone or in person: recorded with its evidence, the
victim asked in their language (discreetly when they chose that), and their SMS reply
YES or NO through the real, signed Twilio webhook."""

import re
import unicodedata
from datetime import timedelta

import pytest
from sqlmodel import select

from portal import chatbot
from portal.models import Case, Notification, StaffAlert, WithdrawalRequest
from portal.models.base import utcnow
from portal.providers.sms.twilio import TwilioSmsProvider
from portal.services import notification_text, withdrawal
from portal.services.messaging import dispatch_due
from portal.services.notification_text import WITHDRAWAL_CONFIRM, render
from portal.services.withdrawal_confirmation import NO, REPLY_WORDS, YES, reply_word
from portal.services.withdrawal_officer import (
    Conflict,
    InvalidInput,
    evidence_parts,
    record_officer_withdrawal,
)
from tests.forbidden import forbidden_words
from tests.people import audit_events, sign_in_staff
from tests.support.fake_providers import FakeEmail
from tests.support.fake_twilio import FakeTwilio

from .records import alerts, officer_recorded, text_in, twiml_message

FORM = {
    "evidence_type": "body_worn_video",
    "evidence_reference": "BWV/2026/118",
    "reasons": ["process_too_long", "fear_of_offender"],
    "note": "Told me at the door she wants it to stop.",
}


@pytest.fixture
def twilio():
    fake = FakeTwilio()
    yield fake
    fake.close()


def _records(session):
    session.expire_all()
    return list(session.exec(select(WithdrawalRequest).order_by(WithdrawalRequest.id)))


def _notifications(session):
    session.expire_all()
    return list(session.exec(select(Notification).order_by(Notification.id)))


def test_the_case_page_form_seals_a_record_and_asks_the_victim_in_polish(client, session, world):
    sign_in_staff(client, world.staff["officer_north"])
    case_page = client.get(f"/staff/cases/{world.case_a.id}").get_data(as_text=True)
    assert f'action="/staff/cases/{world.case_a.id}/withdrawals"' in case_page
    response = client.post(
        f"/staff/cases/{world.case_a.id}/withdrawals",
        data={**FORM, "victim_id": world.victim_a.id},
    )
    assert response.status_code == 303
    (record,) = _records(session)
    assert record.status == "awaiting_victim" and record.content_hash
    assert record.submitted_by == f"officer:{world.staff['officer_north'].id}"
    assert record.evidence_reference == "body_worn_video: BWV/2026/118"
    assert record.reasons == ["fear_of_offender", "process_too_long"]
    assert record.confirmation_due_at - record.confirmed_at == timedelta(days=14)
    assert record.safeguarding_flag  # fear of the suspect
    assert withdrawal.check_seal(session, record).intact
    # One message per channel the victim allows, in Polish, as render() makes it for pl.
    polish = render(
        WITHDRAWAL_CONFIRM,
        locale="pl",
        params={},
        crime_reference=world.case_a.crime_reference,
        discreet=False,
    )
    sent = {(n.channel, n.locale, n.body) for n in _notifications(session)}
    assert sent == {("sms", "pl", polish.sms), ("email", "pl", polish.text)}
    english = notification_text.TEXTS[WITHDRAWAL_CONFIRM].sms
    assert "Reply YES, or NO if this is wrong." in english
    actions = [e.action for e in audit_events(session)]
    assert "withdrawal.sealed" in actions and "withdrawal.confirmation_requested" in actions
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "We asked the victim" in page and "BWV/2026/118" in page


def test_a_discreet_victim_gets_a_message_that_names_nothing(client, session, world):
    sign_in_staff(client, world.staff["officer_south"])
    client.post(
        f"/staff/cases/{world.case_b.id}/withdrawals", data={**FORM, "victim_id": world.victim_b.id}
    )
    (message,) = _notifications(session)
    assert message.discreet and message.channel == "sms"
    assert message.body == notification_text.DISCREET_VARIANTS[WITHDRAWAL_CONFIRM].sms
    for word in [*forbidden_words("en"), "withdraw", world.case_b.crime_reference]:
        assert not re.search(re.escape(word), message.body, re.IGNORECASE), word
    assert "YES" in message.body and "NO" in message.body


@pytest.mark.parametrize("locale", ["en", "pl", "ar", "ur", "cy"])
def test_the_discreet_request_names_nothing_in_any_language(locale):
    message = render(
        WITHDRAWAL_CONFIRM, locale=locale, params={}, crime_reference="NW/1/26", discreet=True
    )
    for text in (message.sms, message.subject, message.text):
        normal = unicodedata.normalize("NFC", text)
        for word in [*forbidden_words(locale), "withdraw", "NW/1/26"]:
            assert not re.search(re.escape(word), normal, re.IGNORECASE), (locale, word)


def test_sms_yes_through_the_signed_webhook_makes_the_record_count(app, session, world, twilio):
    recorded = officer_recorded(session, world)
    provider = TwilioSmsProvider(
        account_sid="AC" + "0" * 32,
        auth_token="token",  # noqa: S106
        from_number="+447700900000",
        api_base_url=twilio.url,
        timeout=2,
    )
    assert dispatch_due(session, sms=provider, email=FakeEmail()).sent == 2
    ((to, body),) = twilio.accepted
    assert to == world.victim_a.phone_e164 and world.case_a.crime_reference in body
    assert withdrawal.confirmed_record(session, world.case_a.id) is None  # not yet

    reply = twiml_message(text_in(app, world.victim_a.phone_e164, " Tak! "))
    assert reply == notification_text.translations("pl").gettext(
        notification_text.CONFIRMATION_THANKS_YES
    )
    session.expire_all()
    record = session.get(WithdrawalRequest, recorded.request.id)
    assert record.status == "confirmed"
    assert record.status_history[-1]["by"] == f"victim:{world.victim_a.id}"
    assert withdrawal.confirmed_record(session, world.case_a.id).id == record.id
    confirmed = audit_events(session, "withdrawal.victim_confirmed")
    assert [e.details for e in confirmed] == [{"withdrawal_id": record.id, "via": "sms"}]
    assert all("Tak" not in str(e.details) for e in audit_events(session))
    # A second YES finds nothing pending: the chatbot answers it like any other text.
    again = twiml_message(text_in(app, world.victim_a.phone_e164, "yes"))
    assert again == chatbot.reply("yes", victim=world.victim_a, channel="sms").text
    assert len(audit_events(session, "withdrawal.victim_confirmed")) == 1


def test_sms_no_disputes_the_record_and_alerts_the_supervisor(app, session, world):
    recorded = officer_recorded(session, world, on="b")
    reply = twiml_message(text_in(app, world.victim_b.phone_e164, "NO"))
    assert reply == "Thank you. We have noted that this is wrong. We will look into it."
    session.expire_all()
    assert session.get(WithdrawalRequest, recorded.request.id).status == "disputed"
    assert withdrawal.confirmed_record(session, world.case_b.id) is None
    (alert,) = alerts(session)
    assert (alert.kind, alert.staff_id, alert.case_id) == (
        "withdrawal_disputed",
        world.staff["supervisor_south"].id,
        world.case_b.id,
    )
    assert [e.details["via"] for e in audit_events(session, "withdrawal.victim_disputed")] == [
        "sms"
    ]


def test_other_texts_still_go_to_the_chatbot_and_change_nothing(app, session, world):
    officer_recorded(session, world)
    question = "can i get an interpreter please"
    answer = twiml_message(text_in(app, world.victim_a.phone_e164, question))
    assert answer == chatbot.reply(question, victim=world.victim_a, channel="sms").text
    assert [r.status for r in _records(session)] == ["awaiting_victim"]
    # Without a pending record a YES is just a text for the chatbot, not a confirmation.
    text_in(app, world.victim_b.phone_e164, "YES")
    assert audit_events(session, "withdrawal.victim_confirmed") == []


@pytest.mark.parametrize(
    ("body", "locale", "word"),
    [
        ("YES", "pl", YES),
        ("y", "en", YES),
        ("Tak.", "pl", YES),
        ("NIE", "pl", NO),
        ("نعم", "ar", YES),
        ("لا", "ar", NO),
        ("ہاں", "ur", YES),
        ("نہیں", "ur", NO),
        ("Sí", "es_419", YES),
        ("não", "pt_BR", NO),
        ("Evet", "tr", YES),
        ("так", "uk", YES),
        ("ні", "uk", NO),
        ("ie", "cy", YES),
        ("ஆம்", "ta", YES),  # ends in a vowel sign, which is not punctuation
        ("ਨਹੀਂ", "pa", NO),
        ("হ্যাঁ!", "bn", YES),
        ("tak", "en", None),  # Polish words only for Polish speakers
        ("ne", "tr", None),  # Lithuanian "no", Turkish "what"
        ("yes please tell me more", "en", None),
        ("", "en", None),
    ],
)
def test_reply_words(body, locale, word):
    assert reply_word(body, locale) == word


def test_every_word_in_the_table_is_understood_in_capitals_and_with_punctuation():
    for language, answers in REPLY_WORDS.items():
        for answer, words in answers.items():
            for word in words:
                assert reply_word(f" {word.upper()}!! ", language) == answer, (language, word)


def test_evidence_is_required_and_nothing_typed_is_lost(client, session, world):
    sign_in_staff(client, world.staff["officer_north"])
    response = client.post(
        f"/staff/cases/{world.case_a.id}/withdrawals",
        data={
            **FORM,
            "evidence_type": "",
            "evidence_reference": " ",
            "victim_id": world.victim_a.id,
        },
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'href="#evidence_type"' in body and 'href="#evidence_reference"' in body
    assert "Told me at the door she wants it to stop." in body
    assert 'value="fear_of_offender" checked' in body
    assert _records(session) == [] and _notifications(session) == []


def test_a_double_submit_records_one_withdrawal(client, session, world):
    sign_in_staff(client, world.staff["officer_north"])
    url = f"/staff/cases/{world.case_a.id}/withdrawals"
    data = {**FORM, "victim_id": world.victim_a.id}
    assert client.post(url, data=data).status_code == 303
    second = client.post(url, data=data)
    assert second.status_code == 409
    assert "already has a withdrawal record" in second.get_data(as_text=True)
    assert len(_records(session)) == 1 and len(_notifications(session)) == 2


def test_another_areas_officer_cannot_record_one(client, session, world):
    sign_in_staff(client, world.staff["officer_south"])
    before = len(audit_events(session))
    response = client.post(
        f"/staff/cases/{world.case_a.id}/withdrawals", data={**FORM, "victim_id": world.victim_a.id}
    )
    assert response.status_code == 404
    assert [e.action for e in audit_events(session)[before:]] == ["access.denied"]
    assert _records(session) == [] and session.exec(select(StaffAlert)).all() == []


def test_a_police_system_can_record_one_and_gets_plain_error_messages(session, world):
    """The service the API endpoint (`POST /api/v1/cases/{ref}/withdrawals`) calls."""
    case = session.get(Case, world.case_a.id)

    def as_rms(**fields):
        return record_officer_withdrawal(
            session,
            case,
            victim_id=world.victim_a.id,
            **{**FORM, **fields},
            actor="api:rms",
            officer_id=None,
            now=utcnow(),
        )

    with pytest.raises(InvalidInput) as invalid:
        as_rms(evidence_reference="", reasons=["nonsense"], note="")
    assert {field: str(message) for field, message in invalid.value.errors.items()} == {
        "evidence_reference": "Enter the evidence reference, for example the statement or "
        "exhibit number.",
        "reasons": "Choose at least one reason the victim gave.",
        "note": "Write a short note of what happened.",
    }
    recorded = as_rms(evidence_type="statement", evidence_reference="MG11 7")
    session.commit()
    assert recorded.request.status == "awaiting_victim" and recorded.queued == 2
    assert recorded.request.submitted_by == "api:rms"
    assert evidence_parts(recorded.request.evidence_reference) == ("statement", "MG11 7")
    assert [e.actor for e in audit_events(session, "withdrawal.sealed")] == ["api:rms"]
    with pytest.raises(Conflict) as twice:
        as_rms()
    assert str(twice.value) == (
        "This victim already has a withdrawal record on this case that stands."
    )
