"""What a message says and where it goes is decided when it is sent, not when it was queued.

The attack: an officer records an event while the message has to wait (the victim's safe
hours, an officer's "send at", a retry after a provider error); then the victim turns
on discreet mode (the abuser has started reading their phone), changes language, turns
SMS off, replies STOP, gets a new number, or has their data erased. The dispatcher then
runs, through the real Twilio client (against tests/fake_twilio.py) and a real SMTP
server (aiosmtpd): the providers must receive only what is safe now.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlmodel import select

from portal.models import Notification, StaffAlert, Victim
from portal.providers.email.smtp import SmtpEmailProvider
from portal.providers.sms.twilio import TwilioSmsProvider
from portal.services import messaging, preferences, victim_sign_in, withdrawal_confirmation
from portal.services.case_events import record_event, victims_of
from portal.services.notification_text import (
    DISCREET,
    render,
)
from portal.services.personal_data import anonymise_victim
from portal.services.updates import run_check_ins
from portal.services.withdrawal_officer import record_officer_withdrawal
from tests.forbidden import forbidden_in
from tests.support.fake_smtp import FakeSmtp, parts
from tests.support.fake_twilio import FakeTwilio
from tests.updates.samples import PARAMS, params_for

#: A Tuesday at noon, UK summer time (13:00 in London).
NOON = datetime(2026, 6, 16, 11, 0, tzinfo=UTC)
#: The victim's safe window when the message has to wait for it: 18:00-21:00 London.
SAFE_START, SAFE_END = time(18, 0), time(21, 0)
EVENING = datetime(2026, 6, 16, 18, 0, tzinfo=UTC)  # 19:00 in London
REFERENCE = "NW/77/26"
PHONE, NEW_PHONE = "+447700900123", "+447700900456"
SECRET = "a-test-secret-key-for-sign-in-codes"  # noqa: S105
WAITS = ("safe_hours", "send_at", "retry")


@pytest.fixture
def twilio():
    fake = FakeTwilio()
    yield fake
    fake.close()


@pytest.fixture
def smtp():
    server = FakeSmtp().start()
    yield server
    server.stop()


@pytest.fixture
def providers(twilio, smtp):
    sms = TwilioSmsProvider(
        account_sid="AC" + "0" * 32,
        auth_token="token",  # noqa: S106
        from_number="+447700900000",
        api_base_url=twilio.url,
        timeout=2,
    )
    email = SmtpEmailProvider(
        host="127.0.0.1", port=smtp.port, sender="Notifications <n@example.org>", starttls=False
    )
    return sms, email


def _dispatch(session, providers, now):
    sms, email = providers
    result = messaging.DispatchResult()
    while True:
        batch = messaging.dispatch_due(session, sms=sms, email=email, now=now, secret_key=SECRET)
        for field in dataclasses.fields(result):
            setattr(result, field.name, getattr(result, field.name) + getattr(batch, field.name))
        if not batch.claimed:
            return result


def _change(session, victim: Victim, **wanted) -> None:
    """The victim changes their preferences (in "My case"), audited as they would be."""
    current = preferences.Preferences.of(victim)
    preferences.change(
        session, victim, dataclasses.replace(current, **wanted), actor=f"victim:{victim.id}"
    )
    session.commit()


def _names_nothing(text: str) -> list[str]:
    found = forbidden_in(text or "", "en") + forbidden_in(text or "", "pl")
    return found + [value for value in [*PARAMS.values(), REFERENCE] if value in (text or "")]


def _queue_charge_that_waits(session, make_case, providers, twilio, wait, **victim_fields):
    """An officer records a charge (naming the court) while the SMS has to wait."""
    hours = {"safe_hours_start": SAFE_START, "safe_hours_end": SAFE_END}
    victim = {
        "phone_e164": PHONE,
        "email_allowed": False,
        **(hours if wait == "safe_hours" else {}),
        **victim_fields,
    }
    case = make_case(reference=REFERENCE, victims=[victim])
    send_at = NOON + timedelta(hours=7) if wait == "send_at" else None
    record_event(
        session,
        case,
        "charged",
        params_for("charged"),
        occurred_at=NOON,
        actor="staff:1",
        send_at=send_at,
        now=NOON,
    )
    session.commit()
    if wait == "retry":
        twilio.script = [(500, 20500)]  # Twilio is down for the first attempt
        assert _dispatch(session, providers, NOON).retrying == 1
    else:
        assert _dispatch(session, providers, NOON).claimed in (0, 1)  # not yet: it waits
    assert twilio.accepted == []
    (waiting,) = session.exec(select(Notification)).all()
    assert REFERENCE in waiting.body  # as queued, it named the case
    return case, victims_of(session, case.id)[0]


def _officer_alerts(session, case) -> list[StaffAlert]:
    session.expire_all()
    return list(
        session.exec(
            select(StaffAlert).where(
                StaffAlert.staff_id == case.officer_id, StaffAlert.case_id == case.id
            )
        )
    )


LATER = EVENING + timedelta(hours=1)  # past every wait above (inside the safe window)


@pytest.mark.parametrize("wait", WAITS)
def test_discreet_mode_turned_on_after_queueing_sends_only_the_neutral_text(
    session, make_case, providers, twilio, wait
):
    case, victim = _queue_charge_that_waits(session, make_case, providers, twilio, wait)
    _change(session, victim, discreet=True)

    assert _dispatch(session, providers, LATER).sent == 1
    ((to, body),) = twilio.accepted
    assert to == PHONE
    assert body == DISCREET.sms
    assert _names_nothing(body) == []
    session.expire_all()
    (row,) = session.exec(select(Notification)).all()
    assert row.discreet and row.body == body  # the row says what was really sent


@pytest.mark.parametrize("wait", WAITS)
def test_language_changed_after_queueing_is_the_language_sent(
    session, make_case, providers, twilio, wait
):
    case, victim = _queue_charge_that_waits(session, make_case, providers, twilio, wait)
    _change(session, victim, locale="pl")

    _dispatch(session, providers, LATER)
    ((_to, body),) = twilio.accepted
    polish = render(
        "charged",
        locale="pl",
        params=params_for("charged"),
        crime_reference=REFERENCE,
        discreet=False,
    )
    assert (
        body == polish.sms
        and body
        != render(
            "charged",
            locale="en",
            params=params_for("charged"),
            crime_reference=REFERENCE,
            discreet=False,
        ).sms
    )


@pytest.mark.parametrize("wait", WAITS)
def test_sms_turned_off_moves_the_message_to_the_email_now_allowed(
    session, make_case, providers, twilio, smtp, wait
):
    case, victim = _queue_charge_that_waits(
        session, make_case, providers, twilio, wait, email="v@example.com"
    )
    _change(session, victim, sms_allowed=False, email_allowed=True, discreet=True)

    result = _dispatch(session, providers, LATER)
    assert (result.moved, result.sent) == (1, 1)
    assert twilio.accepted == []
    (mail,) = smtp.messages
    assert mail["To"] == "v@example.com"
    texts = [mail["Subject"], *parts(mail).values()]
    assert all(_names_nothing(text) == [] for text in texts)
    assert _officer_alerts(session, case) == []  # the victim was told, by email


@pytest.mark.parametrize("wait", WAITS)
@pytest.mark.parametrize("how", ["sms_off", "stop", "erased"])
def test_no_safe_channel_left_cancels_the_message_and_tells_the_officer(
    session, make_case, providers, twilio, smtp, wait, how
):
    case, victim = _queue_charge_that_waits(session, make_case, providers, twilio, wait)
    if how == "sms_off":
        _change(session, victim, sms_allowed=False)
    elif how == "stop":
        victim.sms_opted_out_at = NOON + timedelta(minutes=5)
        session.add(victim)
        session.commit()
    else:
        anonymise_victim(session, victim.id, now=NOON + timedelta(minutes=5))
        session.commit()

    assert _dispatch(session, providers, LATER).cancelled == 1
    assert twilio.accepted == [] and smtp.messages == []
    (alert,) = _officer_alerts(session, case)
    assert alert.kind == "victim_unreachable" and alert.victim_id == victim.id


@pytest.mark.parametrize("wait", WAITS)
def test_a_new_number_gets_the_message_and_the_old_one_nothing(
    session, make_case, providers, twilio, wait
):
    case, victim = _queue_charge_that_waits(session, make_case, providers, twilio, wait)
    victim.phone_e164 = NEW_PHONE  # the officer recorded the victim's new, safe number
    session.add(victim)
    session.commit()

    _dispatch(session, providers, LATER)
    assert [to for to, _body in twilio.accepted] == [NEW_PHONE]


def test_discreet_email_after_queueing_names_nothing_in_subject_text_or_html(
    session, make_case, providers, smtp
):
    case = make_case(
        reference=REFERENCE,
        victims=[
            {
                "phone_e164": None,
                "email": "v@example.com",
                "safe_hours_start": SAFE_START,
                "safe_hours_end": SAFE_END,
            }
        ],
    )
    record_event(
        session, case, "charged", params_for("charged"), occurred_at=NOON, actor="x", now=NOON
    )
    session.commit()
    _change(session, victims_of(session, case.id)[0], discreet=True)

    assert _dispatch(session, providers, EVENING).sent == 1
    (mail,) = smtp.messages
    texts = [mail["Subject"], *parts(mail).values()]
    assert len(texts) == 3 and all(_names_nothing(text) == [] for text in texts)


def test_a_check_in_queued_before_discreet_mode_goes_out_neutral(
    session, make_case, providers, twilio
):
    case = make_case(
        reference=REFERENCE,
        victims=[
            {
                "phone_e164": PHONE,
                "email_allowed": False,
                "safe_hours_start": SAFE_START,
                "safe_hours_end": SAFE_END,
            }
        ],
    )
    case.next_update_due_at = NOON - timedelta(days=1)
    session.add(case)
    session.commit()
    assert run_check_ins(session, now=NOON).queued == 1
    _change(session, victims_of(session, case.id)[0], discreet=True)

    _dispatch(session, providers, EVENING)
    ((_to, body),) = twilio.accepted
    assert body == DISCREET.sms and _names_nothing(body) == []


def _officer_withdrawal(session, case, victim):
    return record_officer_withdrawal(
        session,
        case,
        victim_id=victim.id,
        evidence_type="statement",
        evidence_reference="MG11 1",
        reasons=["move_on"],
        note="Spoke by phone.",
        actor="staff:1",
        officer_id=case.officer_id,
        now=NOON,
    ).request


def test_the_withdrawal_question_queued_before_discreet_mode_asks_discreetly(
    session, make_case, providers, twilio
):
    case = make_case(
        reference=REFERENCE,
        victims=[
            {
                "phone_e164": PHONE,
                "email_allowed": False,
                "safe_hours_start": SAFE_START,
                "safe_hours_end": SAFE_END,
            }
        ],
    )
    victim = victims_of(session, case.id)[0]
    _officer_withdrawal(session, case, victim)
    session.commit()
    assert _dispatch(session, providers, NOON).claimed in (0, 1) and twilio.accepted == []
    _change(session, victim, discreet=True)

    _dispatch(session, providers, EVENING)
    ((_to, body),) = twilio.accepted
    # A discreet victim is never asked by text: only to sign in (README, inbound texts).
    assert body == DISCREET.sms
    assert _names_nothing(body) == [] and "withdr" not in body.lower()


def test_a_withdrawal_question_answered_before_it_went_is_not_sent(
    session, make_case, providers, twilio
):
    case = make_case(
        reference=REFERENCE,
        victims=[
            {
                "phone_e164": PHONE,
                "email_allowed": False,
                "safe_hours_start": SAFE_START,
                "safe_hours_end": SAFE_END,
            }
        ],
    )
    victim = victims_of(session, case.id)[0]
    request = _officer_withdrawal(session, case, victim)
    session.commit()
    answered = withdrawal_confirmation.answer_on_web(
        session, victim.id, request.id, yes=False, now=NOON
    )
    session.commit()
    assert answered == withdrawal_confirmation.WebAnswer.APPLIED

    assert _dispatch(session, providers, EVENING).cancelled == 1
    assert twilio.accepted == []


def test_a_sign_in_code_follows_discreet_mode_and_the_new_number_and_still_works(
    session, make_case, providers, twilio
):
    case = make_case(reference=REFERENCE, victims=[{"phone_e164": PHONE, "email": None}])
    token = victim_sign_in.send_code(
        session, reference=REFERENCE, channel="sms", secret_key=SECRET, now=NOON
    )
    session.commit()
    victim = victims_of(session, case.id)[0]
    victim.phone_e164 = NEW_PHONE
    session.add(victim)
    _change(session, victim, discreet=True)

    assert _dispatch(session, providers, NOON + timedelta(seconds=5)).sent == 1
    ((to, body),) = twilio.accepted
    assert to == NEW_PHONE and _names_nothing(body) == []
    code = body.split()[3].rstrip(".")
    assert body == f"Your code is {code}. It expires in 10 minutes."
    check = victim_sign_in.check_code(
        session, token=token, code=code, secret_key=SECRET, now=NOON + timedelta(minutes=1)
    )
    assert check.outcome == "ok"


def test_a_sign_in_code_whose_sms_was_turned_off_is_not_sent_anywhere(
    session, make_case, providers, twilio, smtp
):
    case = make_case(reference=REFERENCE, victims=[{"phone_e164": PHONE}])
    victim_sign_in.send_code(
        session, reference=REFERENCE, channel="sms", secret_key=SECRET, now=NOON
    )
    session.commit()
    _change(session, victims_of(session, case.id)[0], sms_allowed=False)

    assert _dispatch(session, providers, NOON).cancelled == 1
    assert twilio.accepted == [] and smtp.messages == []
    assert _officer_alerts(session, case) == []  # a code is the victim's business only
