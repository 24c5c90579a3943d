"""Staff sign-in: TOTP is mandatory, throttling is shared, disabling ends sessions."""

import re

import pyotp
import pytest
from sqlmodel import Session, SQLModel

from portal.models import StaffUser
from portal.services import accounts
from tests.people import PASSWORD, sign_in_staff
from tests.support.apps import make_test_app


def test_password_alone_never_signs_in(client, world):
    user = world.staff["officer_north"]
    response = client.post("/staff/sign-in", data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"].endswith("/staff/sign-in/code")
    assert client.get("/staff/cases").status_code == 302
    assert client.post("/staff/sign-in/code", data={"code": "000000"}).status_code == 400
    assert client.get("/staff/cases").status_code == 302


def test_first_sign_in_enrols_totp_with_a_local_qr_code(client, session, world):
    with Session(session.get_bind()) as db:
        accounts.create_staff(
            db,
            email="new@example.org",
            name="New",
            role="officer",
            organisation="T",
            area="North",
            password=PASSWORD,
            actor="staff:1",
        )
        db.commit()
    client.post("/staff/sign-in", data={"email": "new@example.org", "password": PASSWORD})
    page = client.get("/staff/sign-in/code").get_data(as_text=True)
    assert 'src="data:image/svg+xml;base64,' in page
    secret = accounts.find_staff(session, "new@example.org").totp_secret
    assert secret in page
    code = pyotp.TOTP(secret).now()
    assert client.post("/staff/sign-in/code", data={"code": code}).status_code == 303
    session.expire_all()
    assert accounts.find_staff(session, "new@example.org").totp_enrolled_at is not None


def test_unknown_and_known_accounts_get_the_same_refusal(client, world):
    known = client.post("/staff/sign-in", data={"email": "admin@example.org", "password": "x"})
    unknown = client.post("/staff/sign-in", data={"email": "nobody@example.org", "password": "x"})
    strip = lambda r: re.sub(r'value="[^"]*"', "", r.get_data(as_text=True))  # noqa: E731
    assert known.status_code == unknown.status_code == 400
    assert strip(known) == strip(unknown)


def test_throttling_is_shared_by_two_app_instances(tmp_path, world):
    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    first, second = make_test_app(DATABASE_URL=url), make_test_app(DATABASE_URL=url)
    SQLModel.metadata.create_all(first.extensions["db_engine"])
    with Session(first.extensions["db_engine"]) as db:
        user = StaffUser(
            email="s@example.org",
            name="S",
            role="officer",
            organisation="T",
            password_hash=accounts.hash_password(PASSWORD),
            totp_secret=pyotp.random_base32(),
        )
        db.add(user)
        db.commit()
    for app in (first, second, first, second, first):
        app.test_client().post("/staff/sign-in", data={"email": "s@example.org", "password": "no"})
    right = second.test_client().post(
        "/staff/sign-in", data={"email": "s@example.org", "password": PASSWORD}
    )
    assert right.status_code == 400  # locked, with the same wording as any refusal
    for app in (first, second):
        app.extensions["db_engine"].dispose()


def test_disabling_an_account_logs_it_out_on_its_next_request(app, session, world):
    officer, admin = app.test_client(), app.test_client()
    sign_in_staff(officer, world.staff["officer_north"])
    assert officer.get("/staff/cases").status_code == 200
    sign_in_staff(admin, world.staff["admin"])
    user_id = world.staff["officer_north"].id
    assert admin.post(f"/staff/accounts/{user_id}/disable").status_code == 303
    assert officer.get("/staff/cases").status_code == 302
    again = sign_in_staff(officer, world.staff["officer_north"])
    assert again.headers["Location"].endswith("/staff/sign-in")  # no code step: refused


def test_totp_command_prints_the_code_only_in_development(world):
    import pyotp as otp

    from portal.cli import staff_totp

    app = make_test_app()
    SQLModel.metadata.create_all(app.extensions["db_engine"])
    with Session(app.extensions["db_engine"]) as db:
        db.add(
            StaffUser(
                email="d@example.org",
                name="D",
                role="admin",
                organisation="T",
                password_hash=accounts.hash_password(PASSWORD),
                totp_secret=otp.random_base32(),
            )
        )
        db.commit()
        secret = accounts.find_staff(db, "d@example.org").totp_secret
    result = app.test_cli_runner().invoke(staff_totp, ["d@example.org"])
    assert result.output.strip() == otp.TOTP(secret).now()
    app.config["DEV_OUTBOX_ENABLED"] = False
    assert app.test_cli_runner().invoke(staff_totp, ["d@example.org"]).exit_code == 1


def test_password_form_is_limited_per_address_with_a_calm_429(world):
    app = make_test_app(STAFF_SIGN_IN_LIMIT_PER_IP="3 per hour")
    SQLModel.metadata.create_all(app.extensions["db_engine"])
    client = app.test_client()
    tries = [
        client.post("/staff/sign-in", data={"email": f"u{i}@example.org", "password": "x"})
        for i in range(3)
    ]
    assert [r.status_code for r in tries] == [400, 400, 400]
    blocked = client.post("/staff/sign-in", data={"email": "u9@example.org", "password": "x"})
    assert blocked.status_code == 429
    assert "Please wait a few minutes" in blocked.get_data(as_text=True)
    # Reading the form is not limited, and another address is not affected.
    assert client.get("/staff/sign-in").status_code == 200
    elsewhere = app.test_client().post(
        "/staff/sign-in",
        data={"email": "u1@example.org", "password": "x"},
        environ_base={"REMOTE_ADDR": "192.0.2.7"},
    )
    assert elsewhere.status_code == 400
    app.extensions["db_engine"].dispose()


@pytest.mark.parametrize("hops", [0, 1])
def test_behind_a_load_balancer_the_limit_counts_each_client(world, hops):
    """With one trusted proxy, X-Forwarded-For names the client; with none, the header
    is ignored, so nobody can dodge the limit by sending it."""
    app = make_test_app(STAFF_SIGN_IN_LIMIT_PER_IP="2 per hour", TRUSTED_PROXY_COUNT=hops)
    SQLModel.metadata.create_all(app.extensions["db_engine"])
    client = app.test_client()

    def attempt(client_address: str) -> int:
        return client.post(
            "/staff/sign-in",
            data={"email": "u@example.org", "password": "x"},
            headers={"X-Forwarded-For": client_address},
        ).status_code

    assert [attempt("198.51.100.1"), attempt("198.51.100.1")] == [400, 400]
    assert attempt("198.51.100.1") == 429
    assert attempt("198.51.100.2") == (400 if hops else 429)
    app.extensions["db_engine"].dispose()
