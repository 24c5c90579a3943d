"""Only counts per day, intent, language and channel are kept: never what anyone wrote."""

import logging
import secrets
import threading
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from sqlmodel import Session, SQLModel, select
from twilio.request_validator import RequestValidator

from portal.db import make_engine
from portal.models import ChatCount
from portal.services import chat_counts
from portal.services.working_days import LONDON
from tests.people import build_world, sign_in_staff, sign_in_victim
from tests.support.apps import make_app

#: Words no reply, label or fixture contains, so finding them anywhere means we kept text.
MARKER = "zanzibarquokka"
TWILIO_TOKEN = "chat-counts-token"  # noqa: S105
PUBLIC_BASE = "https://portal.example"


def _today() -> date:
    return datetime.now(UTC).astimezone(LONDON).date()


def _counts(session) -> dict[tuple[str, str, str], int]:
    session.expire_all()
    return {(c.intent, c.language, c.channel): c.count for c in session.exec(select(ChatCount))}


def test_each_answer_adds_one_to_its_intent_language_and_channel(client, session):
    client.post("/chat", data={"message": "can I get an interpreter"})
    client.post("/chat/answer", data={"message": "I need an interpreter please"})
    client.post("/chat", data={"topic": "complaint"})
    client.post("/chat", data={"message": ""})  # refused: nothing answered, nothing counted
    assert _counts(session) == {
        ("interpreter", "en", "web"): 2,
        ("complaint", "en", "web"): 1,
    }
    assert {c.day for c in session.exec(select(ChatCount))} == {_today()}


def _holds_text(column: sa.Column) -> bool:
    kind = getattr(column.type, "impl_instance", column.type)  # SQLModel's AutoString wraps
    return isinstance(kind, sa.String | sa.JSON)


def _text_values(session) -> list[str]:
    """Every value of every string, text or JSON column of every table."""
    found = []
    for table in SQLModel.metadata.sorted_tables:
        columns = [c for c in table.columns if _holds_text(c)]
        if not columns:
            continue
        for row in session.execute(sa.select(*columns)).all():
            found.extend(str(value) for value in row if value is not None)
    return found


def _sms_app():
    app = make_app(
        WTF_CSRF_ENABLED=False, TWILIO_AUTH_TOKEN=TWILIO_TOKEN, PUBLIC_BASE_URL=PUBLIC_BASE
    )
    SQLModel.metadata.create_all(app.extensions["db_engine"])
    return app


def _text_in(app, number: str, body: str):
    form = {"MessageSid": "SM" + secrets.token_hex(16), "From": number, "Body": body}
    path = "/webhooks/twilio/inbound"
    signature = RequestValidator(TWILIO_TOKEN).compute_signature(PUBLIC_BASE + path, form)
    return app.test_client().post(path, data=form, headers={"X-Twilio-Signature": signature})


def test_no_message_text_is_stored_anywhere_web_or_sms_signed_in_or_not(caplog):
    app = _sms_app()
    with Session(app.extensions["db_engine"], expire_on_commit=False) as session:
        world = build_world(session)
        caplog.set_level(logging.DEBUG)
        caplog.set_level(logging.INFO, logger="sqlalchemy.engine")  # statements and values
        anonymous = app.test_client()
        anonymous.post("/chat", data={"message": f"can I get an interpreter {MARKER}"})
        anonymous.post("/chat/answer", data={"message": f"{MARKER} he is outside my door"})
        victim = app.test_client()
        sign_in_victim(victim, session, world.case_a.crime_reference)
        victim.post("/chat", data={"message": f"co się dzieje z moją sprawą {MARKER}"})
        victim.post("/chat/answer", data={"message": f"{MARKER} jak złożyć skargę"})
        for number in (world.victim_a.phone_e164, "+447700900999"):
            assert _text_in(app, number, f"how to complain {MARKER}").status_code == 200

        session.expire_all()
        values = _text_values(session)
        assert "Victim A" in values and "INSERT INTO chatcount" in caplog.text  # it can find
        assert not [v for v in values if MARKER in v.lower()]
        assert sum(_counts(session).values()) == 6
        assert {channel for (_, _, channel) in _counts(session)} == {"web", "sms"}
    assert MARKER not in caplog.text
    app.extensions["db_engine"].dispose()


def _increment_concurrently(url: str, threads: int = 8, each: int = 25) -> None:
    engine = make_engine(url)
    SQLModel.metadata.create_all(engine)
    start = threading.Barrier(threads)
    errors = []

    def work():
        start.wait()
        try:
            for _ in range(each):
                with Session(engine) as session:
                    chat_counts.record(
                        session,
                        intent="interpreter",
                        language="pl",
                        channel="sms",
                        now=datetime.now(UTC),
                    )
                    session.commit()
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)

    workers = [threading.Thread(target=work) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    with Session(engine) as session:
        rows = session.exec(select(ChatCount)).all()
    engine.dispose()
    assert errors == []
    assert [(r.intent, r.language, r.channel, r.count) for r in rows] == [
        ("interpreter", "pl", "sms", threads * each)
    ]


def test_counting_is_safe_when_workers_answer_at_once_on_sqlite(tmp_path):
    _increment_concurrently(f"sqlite:///{tmp_path / 'counts.sqlite3'}")


@pytest.mark.postgres
def test_counting_is_safe_when_workers_answer_at_once_on_postgresql(postgres_url):
    _increment_concurrently(postgres_url)


def test_an_unknown_channel_is_a_programming_error(session):
    with pytest.raises(ValueError, match="channel"):
        chat_counts.record(
            session, intent="greeting", language="en", channel="fax", now=datetime.now(UTC)
        )


def test_supervisors_and_admins_see_the_counts_and_officers_do_not(app, session, world):
    victim = app.test_client()
    victim.post("/chat", data={"message": "can I get an interpreter"})
    victim.post("/chat", data={"message": "czy mogę dostać tłumacza, nie mówię po angielsku"})
    for role in ("supervisor_north", "admin"):
        staff = app.test_client()
        sign_in_staff(staff, world.staff[role])
        page = staff.get("/staff/chat-stats").text
        assert 'href="/staff/chat-stats"' in page  # the link every staff page shows them
        assert "Questions answered in the last 30 days: 2." in page
        # The topic's name as people see it in the chat, not the internal intent name.
        assert "<td>An interpreter</td><td>2</td>" in page
        # Language names in the reader's language (CLDR), the code isolated beside them.
        assert 'Polish (<bdi dir="ltr">pl</bdi>)' in page
        assert 'English (<bdi dir="ltr">en</bdi>)' in page
    officer = app.test_client()
    sign_in_staff(officer, world.staff["officer_north"])
    assert officer.get("/staff/chat-stats").status_code == 403


def test_cli_prints_the_counts_and_the_chatbot_commands_still_work(app, session, tmp_path):
    app.test_client().post("/chat", data={"message": "can I get an interpreter"})
    runner = app.test_cli_runner()

    stats = runner.invoke(args=["chat", "stats", "--days", "7"])
    assert stats.exit_code == 0, stats.output
    assert "1 answered" in stats.output
    assert f"{_today().isoformat()}  web  en" in stats.output
    assert "interpreter" in stats.output

    asked = runner.invoke(args=["chat", "what are my rights"])
    assert asked.exit_code == 0 and "(rights_overview, en," in asked.output
    batch = tmp_path / "in.jsonl"
    batch.write_text('{"text": "preciso de um interprete"}\n', encoding="utf-8")
    answered = runner.invoke(args=["chat", "--batch", str(batch)])
    assert answered.exit_code == 0 and '"intent": "interpreter"' in answered.output
    assert runner.invoke(args=["chat"]).exit_code == 2
