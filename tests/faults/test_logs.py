"""The logs of the main journeys carry no personal data.

The web app runs as in production (gunicorn with deploy/gunicorn.conf.py, PostgreSQL,
Redis, the real Twilio and SMTP providers against local fakes) with the portal's loggers
at DEBUG and the access log on; the dispatch of SMS and email runs in this process with
every logger captured at DEBUG. Then no demo person's name, phone number (in any
format), email or crime reference, no sign-in code and no message body (sent or
received) may appear anywhere in what was logged, access log lines (URLs) included.
"""

from __future__ import annotations

import logging
import re
import subprocess
from datetime import UTC, datetime

import pytest
import requests
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message
from sqlmodel import Session, select
from twilio.request_validator import RequestValidator

from deploy.local_services import free_port
from deploy.loopback_browser import LoopbackBrowser
from deploy.run_local import LocalStack
from jobs.sweeps import dispatch_batch
from portal import demo
from portal.models import Case, CaseVictim, Victim
from portal.services.case_events import record_event
from tests.support.apps import make_app
from tests.support.environment import REDIS_URL
from tests.support.fake_twilio import FakeTwilio

pytestmark = pytest.mark.postgres

#: Log records of the test's own fake servers, which are not the portal's logs.
FAKE_SERVER_LOGGERS = ("mail.log",)


class Inbox(Message):
    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []

    def handle_message(self, message) -> None:
        for part in message.walk():
            if part.get_content_maintype() == "text":
                self.texts.append(part.get_payload(decode=True).decode())
        self.texts.append(message["Subject"])


def _phone_forms(e164: str) -> set[str]:
    national = "0" + e164.removeprefix("+44")
    return {e164, e164.lstrip("+"), national, f"%2B{e164[1:]}", national[:5] + " " + national[5:]}


def _forbidden(session: Session, bodies: list[str]) -> set[str]:
    """Everything that must never be logged."""
    found = set()
    for person in demo.VICTIMS:
        found |= {person.name, *person.name.split()}
        found |= _phone_forms(person.phone) if person.phone else set()
        found |= {person.email} if person.email else set()
    for email, name, *_ in demo.STAFF:
        found |= {email, name}
    found |= {case.crime_reference for case in session.exec(select(Case)).all()}
    for body in bodies:
        found |= {body.strip()} | {line.strip() for line in body.splitlines() if len(line) > 20}
        found |= set(re.findall(r"\b\d{6}\b", body))  # sign-in codes
    found.discard("")
    return {item for item in found if len(item) > 3}


def _victim(session: Session, name: str) -> tuple[Victim, Case]:
    victim = session.exec(select(Victim).where(Victim.name == name)).one()
    case = session.exec(
        select(Case).join(CaseVictim).where(CaseVictim.victim_id == victim.id)
    ).first()
    return victim, case


def test_main_journeys_leave_no_personal_data_in_the_logs(
    postgres_url, redis_prefix, tmp_path, caplog
):
    twilio = FakeTwilio()
    inbox = Inbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=free_port())
    smtp.start()
    stack = LocalStack(
        database_url=postgres_url,
        web_port=free_port(),
        twilio_url=twilio.url,
        smtp_port=smtp.port,
        redis_url=REDIS_URL,
        key_prefix=redis_prefix.rstrip(":"),
        extra_env={"LOG_LEVEL": "DEBUG"},
    )
    web_log = tmp_path / "web.log"
    app = make_app(
        DATABASE_URL=postgres_url,
        SMS_PROVIDER="twilio",
        TWILIO_API_BASE_URL=twilio.url,
        TWILIO_ACCOUNT_SID="AC" + "0" * 32,
        TWILIO_AUTH_TOKEN="token",
        TWILIO_FROM_NUMBER="+447700900000",
        EMAIL_PROVIDER="smtp",
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=smtp.port,
        SMTP_STARTTLS=False,
    )
    engine = app.extensions["db_engine"]
    try:
        stack.prepare()
        with web_log.open("w") as output:
            stack.start_web(1, stdout=output, stderr=subprocess.STDOUT)
            # A worker for sign-in codes only: the event below is dispatched here.
            stack.start_dispatchers(1, "--max-lane", "0", stdout=output, stderr=subprocess.STDOUT)
        base = stack.url
        with Session(engine, expire_on_commit=False) as session:
            chris, chris_case = _victim(session, "Chris Jones")
            mariana, mariana_case = _victim(session, "Mariana Souza")

        # A victim signs in with a code by SMS, reads My case, changes preferences.
        browser = LoopbackBrowser(base)
        browser.sign_in_victim(
            chris_case.crime_reference, "sms", lambda: "\n".join(b for _to, b in twilio.accepted)
        )
        assert browser.get("/my-case").status_code == 200
        changed = browser.post(
            "/my-case/preferences",
            data={
                "csrf_token": browser.form_token("/my-case"),
                "locale": "en",
                "sms_allowed": "1",
                "email_allowed": "1",
                "frequency": "14",
                "safe_start": "",  # any hour: the dispatch below must not wait
                "safe_end": "",
            },
        )
        assert changed.status_code == 303
        # Another signs in with a code by email.
        LoopbackBrowser(base).sign_in_victim(
            mariana_case.crime_reference, "email", lambda: "\n".join(inbox.texts)
        )
        # The victim texts the chatbot.
        question = "When will I hear about my case? My number is " + chris.phone_e164
        url = f"{base}/webhooks/twilio/inbound"
        form = {
            "MessageSid": "SM" + "5" * 32,
            "From": chris.phone_e164,
            "To": "+447700900000",
            "Body": question,
        }
        signature = RequestValidator("local-rehearsal-token").compute_signature(url, form)
        reply = requests.post(url, data=form, headers={"X-Twilio-Signature": signature}, timeout=30)
        assert reply.status_code == 200 and "<Message>" in reply.text

        # An officer records an event; dispatch sends it by SMS and email.
        with Session(engine, expire_on_commit=False) as session:
            case = session.get(Case, chris_case.id)
            now = datetime.now(UTC)
            record_event(session, case, "suspect_arrested", {}, occurred_at=now, actor="staff:1")
            session.commit()
        caplog.set_level(logging.DEBUG)
        result = dispatch_batch(app)
        assert result.sent == 2
        sms_before = len(twilio.accepted)
    finally:
        stack.stop()
        smtp.stop()
        twilio.close()
        engine.dispose()

    logged = web_log.read_text() + "\n".join(
        f"{record.name} {record.getMessage()} {record.exc_text or ''}"
        for record in caplog.records
        if not record.name.startswith(FAKE_SERVER_LOGGERS)
    )
    # The logs are really there: access lines of the journeys and the dispatch.
    assert '"POST /sign-in/code HTTP/1.1" 303' in logged
    assert '"POST /webhooks/twilio/inbound HTTP/1.1" 200' in logged
    assert "dispatch: 2 sent" in logged
    bodies = [body for _to, body in twilio.accepted[:sms_before]] + inbox.texts
    bodies += [question, re.search(r"<Message>(.*)</Message>", reply.text, re.S).group(1)]
    with Session(make_app(DATABASE_URL=postgres_url).extensions["db_engine"]) as session:
        forbidden = _forbidden(session, bodies)
    leaks = sorted(item for item in forbidden if item in logged)
    assert not leaks, f"personal data in the logs: {leaks}"
