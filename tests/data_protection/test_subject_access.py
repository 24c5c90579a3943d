"""`flask victims export REF` gives a victim everything held about them, and nothing about
anyone else; `flask victims erase` removes it where the law allows. Both are audited."""

from __future__ import annotations

import json
import zipfile

import pytest
from sqlmodel import Session, SQLModel, select

from portal.models import AuditEvent, Victim
from portal.services import access
from portal.services.access import Principal
from tests.data_protection.records import message, sealed_withdrawal
from tests.people import build_world
from tests.support.apps import make_app


@pytest.fixture
def file_app(tmp_path):
    """The CLI opens its own sessions, so the database is a file both can see."""
    app = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'sar.sqlite3'}")
    SQLModel.metadata.create_all(app.extensions["db_engine"])
    yield app
    app.extensions["db_engine"].dispose()


@pytest.fixture
def db(file_app):
    with Session(file_app.extensions["db_engine"], expire_on_commit=False) as session:
        yield session


def _export(file_app, tmp_path, reference: str, *extra: str):
    out = tmp_path / "export.zip"
    result = file_app.test_cli_runner().invoke(
        args=["victims", "export", reference, "--reason", "SAR 123", "--out", str(out), *extra]
    )
    return result, out


def test_export_holds_every_record_and_who_viewed_it(file_app, db, tmp_path):
    world = build_world(db)
    db.add(message(world, age_days=1, body="Your officer will call on Monday"))
    sealed_withdrawal(db, world)
    access.open_victim(db, Principal.for_staff(world.staff["officer_north"]), world.victim_a.id)
    db.commit()

    result, out = _export(file_app, tmp_path, world.case_a.crime_reference)

    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as archive:
        names = set(archive.namelist())
        data = {n: json.loads(archive.read(n)) for n in names if n.endswith(".json")}
        page = archive.read("index.html").decode()
    assert {"victim.json", "messages.json", "withdrawals.json", "audit.json", "index.html"} <= names
    assert data["victim.json"][0]["name"] == "Victim A"
    assert data["messages.json"][0]["body"] == "Your officer will call on Monday"
    assert data["withdrawals.json"][0]["own_words"] == "Chcę żyć dalej"
    viewers = {(e["actor"], e["action"]) for e in data["audit.json"]}
    assert (f"staff:{world.staff['officer_north'].id}", "victim.view") in viewers
    assert "Victim B" not in json.dumps(data) and "+447700900002" not in json.dumps(data)
    assert not any(
        "hash" in key and key != "content_hash" for row in data["sign_ins.json"] for key in row
    )
    assert 'lang="pl"' in page and "Your officer will call on Monday" in page
    db.expire_all()
    exported = db.exec(select(AuditEvent).where(AuditEvent.action == "victim.export")).one()
    assert exported.subject == f"victim:{world.victim_a.id}" and exported.reason == "SAR 123"


def test_export_needs_a_known_reference_and_a_reason(file_app, db, tmp_path):
    build_world(db)
    result, _ = _export(file_app, tmp_path, "99/999999/99")
    assert result.exit_code == 1 and "No case" in result.output
    result = file_app.test_cli_runner().invoke(args=["victims", "export", "01/000001/26"])
    assert result.exit_code != 0 and "--reason" in result.output


def test_erasure_is_refused_while_the_case_is_open(file_app, db):
    world = build_world(db)
    result = file_app.test_cli_runner().invoke(
        args=["victims", "erase", world.case_a.crime_reference, "--reason", "request"]
    )
    assert result.exit_code == 1 and "still open" in result.output
    db.expire_all()
    assert db.get(Victim, world.victim_a.id).name == "Victim A"


def test_erasure_is_refused_when_a_withdrawal_record_must_be_kept(file_app, db):
    from portal.models.base import utcnow

    world = build_world(db)
    world.case_a.closed_at = utcnow()
    sealed_withdrawal(db, world)
    db.commit()
    result = file_app.test_cli_runner().invoke(
        args=["victims", "erase", world.case_a.crime_reference, "--reason", "request"]
    )
    assert result.exit_code == 1 and "withdrawal record" in result.output


def test_erasure_of_a_closed_case_removes_contacts_and_is_audited(file_app, db):
    from portal.models.base import utcnow

    world = build_world(db)
    world.case_a.closed_at = utcnow()
    db.add(message(world, age_days=1, body="Secret words"))
    db.commit()
    result = file_app.test_cli_runner().invoke(
        args=["victims", "erase", world.case_a.crime_reference, "--reason", "Erasure request 7"]
    )
    assert result.exit_code == 0, result.output
    db.expire_all()
    victim = db.get(Victim, world.victim_a.id)
    assert (victim.name, victim.phone_e164, victim.email) == ("", None, None)
    event = db.exec(select(AuditEvent).where(AuditEvent.action == "victim.erase")).one()
    assert event.reason == "Erasure request 7" and event.actor == "operator:cli"
