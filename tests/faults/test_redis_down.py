"""Redis (rate-limit counters and sign-in sessions) goes down: sign-in code requests
fail closed (nothing is sent), public pages stay open, signed-in pages answer a calm
503 in the user's language, quick exit still leaves, and nothing crashes. When Redis is
back, signing in works again without restarting the app."""

from __future__ import annotations

import pytest
from sqlmodel import Session, SQLModel, func, select

from portal.models import OutboxMessage
from tests.faults.pages import busy_text
from tests.people import build_world, sign_in_victim
from tests.support.apps import make_test_app

POLISH = {"Accept-Language": "pl"}


@pytest.fixture
def app(private_redis):
    app = make_test_app(
        RATELIMIT_STORAGE_URI=private_redis.url,
        SESSION_STORE="redis",
        SESSION_REDIS_URL=private_redis.url,
    )
    SQLModel.metadata.create_all(app.extensions["db_engine"])
    yield app
    app.extensions["db_engine"].dispose()


def _codes_sent(session: Session) -> int:
    return session.exec(select(func.count()).select_from(OutboxMessage)).one()


def test_redis_down_fails_closed_for_codes_and_open_for_public_pages(app, private_redis):
    with Session(app.extensions["db_engine"], expire_on_commit=False) as session:
        world = build_world(session)
        reference = world.case_a.crime_reference
        victim, leaving, stranger = app.test_client(), app.test_client(), app.test_client()
        sign_in_victim(victim, session, reference)
        sign_in_victim(leaving, session, reference)
        assert victim.get("/my-case").status_code == 200
        stranger.post("/sign-in", data={"reference": reference, "channel": "sms"})
        sent_before = _codes_sent(session)

        private_redis.stop()
        asked = stranger.post(
            "/sign-in", data={"reference": reference, "channel": "sms"}, headers=POLISH
        )
        assert asked.status_code == 503
        assert busy_text(app, "pl") in asked.get_data(as_text=True)
        assert _codes_sent(session) == sent_before  # fail closed: no code went out
        assert stranger.post("/sign-in/code", data={"code": "123456"}).status_code == 503

        for client in (stranger, victim):  # open: the rights stay readable, signed in or not
            assert client.get("/rights/6", headers=POLISH).status_code == 200
            assert client.get("/", headers=POLISH).status_code == 200
        page = victim.get("/my-case", headers=POLISH)
        assert page.status_code == 503
        assert busy_text(app, "pl") in page.get_data(as_text=True)
        exit_ = leaving.get("/exit")
        assert exit_.status_code == 303
        assert exit_.headers["Location"] == app.config["QUICK_EXIT_URL"]
        assert leaving.get_cookie("portal_session") is None

        private_redis.start()  # same port, empty: everyone signs in again
        assert victim.get("/my-case").status_code == 302
        assert sign_in_victim(victim, session, reference).status_code == 303
        assert victim.get("/my-case").status_code == 200
