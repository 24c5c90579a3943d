import secrets
from datetime import UTC, datetime

import pytest
from sqlmodel import Session, SQLModel, select
from twilio.request_validator import RequestValidator

from portal import chatbot, create_app
from portal.config import TestConfig
from portal.models import Case, CaseVictim, ConsentRecord, Notification, Victim
from portal.services.messaging import dispatch_due

TOKEN = "webhook-test-token"  # noqa: S105
BASE = "https://portal.example"
NUMBER = "+447700900001"


class RecordingSms:
    def __init__(self) -> None:
        self.sent: list[str] = []

    def send_sms(self, *, to: str, body: str, reference: str) -> str:
        self.sent.append(body)
        return f"SM{len(self.sent)}"


@pytest.fixture
def hook_app():
    settings = {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}
    app = create_app({**settings, "TWILIO_AUTH_TOKEN": TOKEN, "PUBLIC_BASE_URL": BASE})
    with app.app_context():
        SQLModel.metadata.create_all(app.extensions["db_engine"])
        yield app
    app.extensions["db_engine"].dispose()


@pytest.fixture
def db(hook_app):
    with Session(hook_app.extensions["db_engine"], expire_on_commit=False) as session:
        yield session


def post(app, path, form, *, signature=None):
    """A signed webhook request; each inbound text gets its own MessageSid, as from
    Twilio (a text without one is never processed)."""
    if path.endswith("/inbound"):
        form = {"MessageSid": "SM" + secrets.token_hex(16), **form}
    if signature is None:
        signature = RequestValidator(TOKEN).compute_signature(BASE + path, form)
    return app.test_client().post(path, data=form, headers={"X-Twilio-Signature": signature})


def _notification(db, **fields):
    victim = db.exec(select(Victim)).first()
    if victim is None:
        victim = Victim(name="V", phone_e164=NUMBER)
        db.add(victim)
        db.flush()
    row = Notification(
        victim_id=victim.id,
        channel="sms",
        locale="en",
        template_key="check_in",
        body="hello",
        to_address=NUMBER,
        idempotency_key=f"k{fields.get('provider_reference', 'x')}",
        **fields,
    )
    db.add(row)
    db.commit()
    return row


def test_a_bad_or_missing_signature_is_refused(hook_app):
    form = {"MessageSid": "SM1", "MessageStatus": "delivered"}
    assert post(hook_app, "/webhooks/twilio/status", form, signature="forged").status_code == 403
    assert (
        post(
            hook_app, "/webhooks/twilio/inbound", {"From": NUMBER, "Body": "STOP"}, signature=""
        ).status_code
        == 403
    )


def test_status_only_moves_forward_and_duplicates_change_nothing(hook_app, db):
    row = _notification(db, status="sent", provider_reference="SM1")
    for status in ("delivered", "delivered", "sent", "failed"):
        response = post(
            hook_app, "/webhooks/twilio/status", {"MessageSid": "SM1", "MessageStatus": status}
        )
        assert response.status_code == 200 and b"<Response>" in response.data
    db.refresh(row)
    assert row.status == "delivered" and row.failed_at is None
    delivered_at = row.delivered_at
    post(hook_app, "/webhooks/twilio/status", {"MessageSid": "SM1", "MessageStatus": "delivered"})
    db.refresh(row)
    assert row.delivered_at == delivered_at


def test_undelivered_after_sent_is_recorded_as_failed(hook_app, db):
    row = _notification(db, status="sent", provider_reference="SM2")
    post(
        hook_app,
        "/webhooks/twilio/status",
        {"MessageSid": "SM2", "MessageStatus": "undelivered", "ErrorCode": "30003"},
    )
    db.refresh(row)
    assert row.status == "failed" and row.failed_at is not None


@pytest.mark.parametrize("word", ["STOP", "stopall", " Unsubscribe ", "CANCEL", "END", "QUIT"])
def test_stop_then_a_later_message_is_cancelled_not_attempted(hook_app, db, word):
    later = _notification(db, status="queued", not_before=datetime(2026, 1, 1, tzinfo=UTC))
    response = post(hook_app, "/webhooks/twilio/inbound", {"From": NUMBER, "Body": word})
    assert response.status_code == 200 and response.mimetype == "text/xml"
    victim = db.exec(select(Victim)).one()
    db.refresh(victim)
    assert victim.sms_opted_out_at is not None
    consent = db.exec(select(ConsentRecord)).one()
    assert consent.kind == "sms" and consent.withdrawn_at is not None
    sms = RecordingSms()
    dispatch_due(db, sms=sms, email=None, now=datetime(2026, 1, 2, tzinfo=UTC))
    db.refresh(later)
    assert sms.sent == [] and later.status == "cancelled"


def test_start_gives_consent_back_but_yes_does_not(hook_app, db):
    _notification(db, status="sent", provider_reference="SM3")
    post(hook_app, "/webhooks/twilio/inbound", {"From": NUMBER, "Body": "STOP"})
    post(hook_app, "/webhooks/twilio/inbound", {"From": NUMBER, "Body": "YES"})
    victim = db.exec(select(Victim)).one()
    db.refresh(victim)
    assert victim.sms_opted_out_at is not None
    post(hook_app, "/webhooks/twilio/inbound", {"From": NUMBER, "Body": "START"})
    db.refresh(victim)
    assert victim.sms_opted_out_at is None
    records = db.exec(select(ConsentRecord).order_by(ConsentRecord.id)).all()
    assert [r.withdrawn_at is None for r in records] == [False, True]


def _message(response) -> str:
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "<Message>" in body
    return body.split("<Message>")[1].split("</Message>")[0]


def _victim(db, **fields):
    victim = Victim(name="V", phone_e164=NUMBER, locale="en", **fields)
    db.add(victim)
    db.commit()
    return victim


def _case_at(db, victim, stage):
    case = Case(crime_reference="NW/5/26", force="F", area="A", crime_category="C", stage=stage)
    db.add(case)
    db.flush()
    db.add(CaseVictim(case_id=case.id, victim_id=victim.id))
    db.commit()


def test_a_question_by_text_gets_the_chatbots_answer_in_that_language(hook_app):
    english = _message(
        post(
            hook_app,
            "/webhooks/twilio/inbound",
            {"From": NUMBER, "Body": "can i get an interpreter please"},
        )
    )
    assert english == chatbot.reply("can i get an interpreter please", channel="sms").text
    polish = "czy moge dostac tlumacza prosze, nie mowie dobrze po angielsku"
    answer = _message(post(hook_app, "/webhooks/twilio/inbound", {"From": NUMBER, "Body": polish}))
    expected = chatbot.reply(polish, channel="sms")
    assert expected.language == "pl" and answer == expected.text


def test_case_details_only_go_by_text_when_the_victim_allowed_it(hook_app, db):
    victim = _victim(db)
    _case_at(db, victim, "charged")
    question = {"From": NUMBER, "Body": "what is happening with my case now"}
    refused = _message(post(hook_app, "/webhooks/twilio/inbound", question))
    assert "charged" not in refused and "sign in" in refused
    victim.sms_status_replies = True
    db.commit()
    allowed = _message(post(hook_app, "/webhooks/twilio/inbound", question))
    assert "Someone was charged with the crime" in allowed


def test_discreet_victims_get_only_the_neutral_line_except_in_danger(hook_app, db):
    _victim(db, discreet=True)
    answer = _message(
        post(
            hook_app,
            "/webhooks/twilio/inbound",
            {"From": NUMBER, "Body": "how do i complain about the police"},
        )
    )
    assert answer == "You have a new message. Please sign in to read it."
    danger = _message(
        post(
            hook_app,
            "/webhooks/twilio/inbound",
            {"From": NUMBER, "Body": "he is outside my house now and has a knife"},
        )
    )
    assert "999" in danger
