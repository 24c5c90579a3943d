"""`flask victims export REF` gives a victim everything held about them, and nothing about
anyone else; `flask victims erase` removes it where the law allows. Both are audited."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from sqlmodel import Session, SQLModel, select

from portal.models import AuditEvent, Victim
from portal.services import access
from portal.services.access import Principal
from portal.services.audit import SigningKey
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


def _tool(*args: str):
    """The standalone verifier, run as an oversight body would: a separate interpreter,
    from a directory where the portal cannot be imported."""
    script = Path(__file__).resolve().parents[2] / "tools" / "verify_audit_proof.py"
    return subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-I", str(script), *args], capture_output=True, text=True, cwd="/"
    )


def test_export_proves_each_audit_entry_is_in_the_signed_log(file_app, db, tmp_path):
    from jobs.sweeps import sequence_audit

    world = build_world(db)
    officer = Principal.for_staff(world.staff["officer_north"])
    access.open_victim(db, officer, world.victim_a.id)
    db.commit()
    sequence_audit(file_app)
    access.open_victim(db, officer, world.victim_a.id)  # after the last checkpoint
    db.commit()
    result, out = _export(file_app, tmp_path, world.case_a.crime_reference)
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as archive:
        bundle = json.loads(archive.read("audit_proofs.json"))
        trail = json.loads(archive.read("audit.json"))
    assert [e["id"] for e in bundle["entries"]] == [row["id"] for row in trail]
    assert bundle["entries"][-1]["inclusion_proof"] is None  # not sequenced yet: said so
    key = tmp_path / "log.pub"
    key.write_text(file_app.extensions["audit_key"].verifier.text())
    proofs = tmp_path / "audit_proofs.json"
    proofs.write_text(json.dumps(bundle))
    checked = _tool("inclusion", "--key", str(key), str(proofs))
    assert checked.returncode == 0, checked.stderr
    proved = sum(e["inclusion_proof"] is not None for e in bundle["entries"])
    assert proved >= 1 and f"OK: {proved} entries proved" in checked.stdout

    # An entry rewritten in the file (or in the database before export) fails the check.
    first = next(e for e in bundle["entries"] if e["inclusion_proof"] is not None)
    first["entry"] = first["entry"].replace("victim.view", "victim.viewed")
    first["entry_hash"] = hashlib.sha256(first["entry"].encode()).hexdigest()
    proofs.write_text(json.dumps(bundle))
    forged = _tool("inclusion", "--key", str(key), str(proofs))
    assert forged.returncode == 1 and "is not in the signed tree" in forged.stderr


def test_a_consistency_proof_from_the_cli_verifies_with_the_standalone_tool(file_app, db, tmp_path):
    from jobs.sweeps import sequence_audit

    world = build_world(db)
    officer = Principal.for_staff(world.staff["officer_north"])
    access.open_victim(db, officer, world.victim_a.id)
    db.commit()
    sequence_audit(file_app)
    cli = file_app.test_cli_runner()
    old = json.loads(cli.invoke(args=["audit", "prove-consistency", "0"]).output)["checkpoint"]
    for _ in range(3):
        access.open_victim(db, officer, world.victim_a.id)
        db.commit()
        sequence_audit(file_app)
    old_size = int(old.split("\n")[1])
    answer = json.loads(cli.invoke(args=["audit", "prove-consistency", str(old_size)]).output)
    assert answer["new_size"] == old_size + 3
    files = {name: tmp_path / name for name in ("key", "old", "new", "proof")}
    files["key"].write_text(file_app.extensions["audit_key"].verifier.text())
    files["old"].write_text(old)
    files["new"].write_text(answer["checkpoint"])
    files["proof"].write_text(json.dumps(answer["proof"]))
    args = [str(files[n]) for n in ("old", "new", "proof")]
    checked = _tool("consistency", "--key", str(files["key"]), *args)
    assert checked.returncode == 0, checked.stderr
    assert f"extends the tree of {old_size} unchanged" in checked.stdout
    files["proof"].write_text(json.dumps(answer["proof"][::-1]))
    assert _tool("consistency", "--key", str(files["key"]), *args).returncode == 1
    other = tmp_path / "other.pub"
    other.write_text(SigningKey.generate(file_app.extensions["audit_key"].name).verifier.text())
    refused = _tool("checkpoint", "--key", str(other), str(files["new"]))
    assert refused.returncode == 1 and "not signed by this key" in refused.stderr
