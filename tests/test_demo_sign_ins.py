"""Every demo account signs in on a fresh machine, from the demo data itself (issue 13,
item 7): the tests' own accounts make their own secrets, so only this catches demo
secrets that the installed pyotp refuses."""

from __future__ import annotations

import pyotp
import pytest
from sqlmodel import Session, SQLModel, select

from portal import demo
from portal.cli import demo_load, demo_sign_ins, staff_totp
from portal.models import Case, StaffUser
from tests.people import latest_code
from tests.support.apps import make_test_app


@pytest.fixture
def app(tmp_path):
    """A fresh database with the demo loaded by the `flask demo load` command."""
    app = make_test_app(DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}")
    SQLModel.metadata.create_all(app.extensions["db_engine"])
    loaded = app.test_cli_runner().invoke(demo_load)
    assert loaded.exit_code == 0, loaded.output
    yield app
    app.extensions["db_engine"].dispose()


def _staff(app) -> list[StaffUser]:
    with Session(app.extensions["db_engine"]) as session:
        return list(session.exec(select(StaffUser)).all())


def test_every_demo_staff_account_signs_in_with_its_password_and_totp(app):
    staff = _staff(app)
    assert {user.email for user in staff} == {email for email, *_ in demo.STAFF}
    for user in staff:
        client = app.test_client()
        password = client.post(
            "/staff/sign-in", data={"email": user.email, "password": demo.DEMO_PASSWORD}
        )
        assert password.headers["Location"].endswith("/staff/sign-in/code"), user.email
        assert client.get("/staff/sign-in/code").status_code == 200, user.email
        code = app.test_cli_runner().invoke(staff_totp, [user.email])
        assert code.exit_code == 0, (user.email, code.output)
        signed_in = client.post("/staff/sign-in/code", data={"code": code.output.strip()})
        assert signed_in.status_code == 303, user.email
        assert client.get(signed_in.headers["Location"], follow_redirects=True).status_code == 200


def test_every_demo_victim_signs_in_with_a_code(app):
    with Session(app.extensions["db_engine"]) as session:
        references = [case.crime_reference for case in session.exec(select(Case)).all()]
    assert len(references) == len(demo.VICTIMS)
    for reference, person in zip(references, demo.VICTIMS, strict=True):
        client = app.test_client()
        channel = "sms" if person.phone else "email"
        client.post("/sign-in", data={"reference": reference, "channel": channel})
        with Session(app.extensions["db_engine"]) as session:
            code = latest_code(session)
        signed_in = client.post("/sign-in/code", data={"code": code})
        assert signed_in.headers["Location"].endswith("/my-case"), reference
        assert client.get("/my-case").status_code == 200, reference


def test_the_printed_demo_sign_ins_match_the_demo_data(app):
    printed = app.test_cli_runner().invoke(demo_sign_ins).output
    for user in _staff(app):
        assert user.email in printed and user.totp_secret in printed
        assert len(pyotp.TOTP(user.totp_secret).byte_secret()) * 8 >= 160
    assert demo.DEMO_PASSWORD in printed
    with Session(app.extensions["db_engine"]) as session:
        references = {case.crime_reference for case in session.exec(select(Case)).all()}
    for reference in ("01/100000/26", "01/100037/26", "01/100074/26", "01/100148/26"):
        assert reference in printed and reference in references


def test_a_demo_loaded_with_the_old_short_secrets_gets_the_new_ones(app):
    with Session(app.extensions["db_engine"]) as session:
        for user in session.exec(select(StaffUser)).all():
            user.totp_secret = "JBSWY3DPEHPK3PXA"  # 80 bits, as demos loaded before had
            session.add(user)
        session.commit()
    assert app.test_cli_runner().invoke(demo_load).exit_code == 0
    secrets = {email: secret for email, *_rest, secret in demo.STAFF}
    for user in _staff(app):
        assert user.totp_secret == secrets[user.email]
