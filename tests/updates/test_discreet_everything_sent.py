"""Everything a victim in discreet mode is sent, in every language, as it leaves through
the providers: every event's SMS and email (subject, text, HTML), the check-in, the
sign-in code by SMS and by email, the chatbot's answer to a text, and the sender's name.
None of it may contain a forbidden word (tests/data/discreet_forbidden), the crime
reference or anything the officer entered."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from portal.i18n import SUPPORTED_LOCALES
from portal.models import Channel, Notification, OutboxMessage
from portal.services import messaging, sms_events, victim_sign_in
from portal.services.access import victims_of_case
from portal.services.case_events import record_event
from portal.services.events import EVENT_TYPES
from portal.services.notification_text import TEXTS
from portal.services.updates import run_check_ins
from portal.services.withdrawal_officer import record_officer_withdrawal
from tests.forbidden import forbidden_in
from tests.updates.samples import PARAMS, params_for

#: A Tuesday at noon, UK summer time: inside anyone's safe hours.
NOON = datetime(2026, 6, 16, 11, 0, tzinfo=UTC)
REFERENCE = "NW/7/26"
PHONE = "+447700900077"


def _names_nothing(text: str | None, locale: str) -> list[str]:
    if not text:
        return []
    found = forbidden_in(text, locale)
    found += [value for value in [*PARAMS.values(), REFERENCE] if value in text]
    return found


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_everything_sent_in_discreet_mode_names_nothing(app, session, make_case, locale):
    case = make_case(
        reference=REFERENCE,
        victims=[{"locale": locale, "discreet": True, "phone_e164": PHONE}],
    )
    # The routine check-in first, while nothing has been sent yet.
    case.next_update_due_at = NOON - timedelta(days=1)
    session.add(case)
    session.commit()
    assert run_check_ins(session, now=NOON).queued == 2
    for key in EVENT_TYPES:
        record_event(session, case, key, params_for(key), occurred_at=NOON, actor="x", now=NOON)
    # A withdrawal an officer took by phone: the victim is asked to confirm it.
    (victim,) = victims_of_case(session, case.id)
    record_officer_withdrawal(
        session,
        case,
        victim_id=victim.id,
        evidence_type="statement",
        evidence_reference="MG11 1",
        reasons=["move_on"],
        note="Spoke by phone.",
        actor="staff:1",
        officer_id=None,
        now=NOON,
    )
    session.commit()
    sms, email = app.extensions["sms_provider"], app.extensions["email_provider"]
    while messaging.dispatch_due(session, sms=sms, email=email, now=NOON).sent:
        pass

    notifications = session.exec(select(Notification)).all()
    sent_templates = {n.template_key for n in notifications if n.status == "sent"}
    assert sent_templates == set(TEXTS), "every template must have been sent"
    for channel in (Channel.SMS, Channel.EMAIL):
        victim_sign_in.send_code(
            session, reference=REFERENCE, channel=channel, secret_key="k", now=NOON
        )
    session.commit()
    assert messaging.dispatch_due(session, sms=sms, email=email, now=NOON, secret_key="k").sent == 2
    answer = sms_events.reply_to_inbound_text(
        session, from_number=PHONE, body="Any news about my case?"
    )
    outbox = session.exec(select(OutboxMessage)).all()
    assert len(outbox) == 2 * len(TEXTS) + 2

    problems = {}
    texts = [answer, app.config["EMAIL_FROM"]]
    for message in outbox:
        texts += [message.subject, message.body, message.body_html]
    for text in texts:
        found = _names_nothing(text, locale)
        if found:
            problems[text] = found
    assert not problems, (locale, problems)
