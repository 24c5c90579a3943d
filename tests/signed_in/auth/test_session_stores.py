"""Both session stores keep the same promises: idle and absolute limits, sign-out, and
ending every session of a disabled account. The Redis store runs on the shared Redis
under a key prefix of its own."""

from datetime import timedelta

import pytest
import redis

from portal.models.base import utcnow
from portal.services.sessions import (
    DatabaseSessionStore,
    RedisSessionStore,
    SessionStoreUnavailable,
)
from tests.people import sign_in_staff, sign_in_victim
from tests.support.apps import make_test_app
from tests.support.environment import REDIS_URL


@pytest.fixture(params=["database", "redis"])
def store(request):
    if request.param == "database":
        return DatabaseSessionStore()
    prefix = request.getfixturevalue("redis_prefix")
    return RedisSessionStore(redis.Redis.from_url(REDIS_URL), prefix)


def test_idle_and_absolute_timeouts(store, session, world):
    start = utcnow()
    victim = world.victim_a.id
    token = store.start(session, kind="victim", principal_id=victim, now=start)
    assert store.resolve(session, token, now=start + timedelta(minutes=14)) is not None
    assert store.resolve(session, token, now=start + timedelta(minutes=30)) is None
    token = store.start(session, kind="victim", principal_id=victim, now=start)
    for minutes in range(10, 120, 10):  # active all the time
        assert store.resolve(session, token, now=start + timedelta(minutes=minutes))
    assert store.resolve(session, token, now=start + timedelta(minutes=121)) is None


def test_resolve_says_who_and_whether_assisted(store, session, world):
    now = utcnow()
    token = store.start(
        session, kind="victim", principal_id=world.victim_a.id, now=now, assisted=True
    )
    found = store.resolve(session, token, now=now)
    assert (found.kind, found.principal_id, found.assisted) == ("victim", world.victim_a.id, True)
    assert store.resolve(session, "not-a-session", now=now) is None
    assert store.resolve(session, None, now=now) is None


def test_revoke_ends_one_session_and_revoke_all_ends_every_one(store, session, world):
    now = utcnow()
    staff_id = world.staff["officer_north"].id
    first, second, third = (
        store.start(session, kind="staff", principal_id=staff_id, now=now) for _ in range(3)
    )
    other = store.start(session, kind="staff", principal_id=world.staff["admin"].id, now=now)
    store.revoke(session, first, now=now)
    assert store.resolve(session, first, now=now) is None
    assert store.resolve(session, second, now=now) is not None
    assert store.revoke_all(session, kind="staff", principal_id=staff_id, now=now) == 2
    assert store.resolve(session, second, now=now) is None
    assert store.resolve(session, third, now=now) is None
    assert store.resolve(session, other, now=now) is not None


def test_redis_store_reports_an_unreachable_server():
    dead = RedisSessionStore(
        # retry=None: the store's refusal is under test, not redis-py's back-off (seconds).
        redis.Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.5, retry=None),
        "x:",
    )
    with pytest.raises(SessionStoreUnavailable):
        dead.resolve(None, "token", now=utcnow())
    with pytest.raises(SessionStoreUnavailable):
        dead.start(None, kind="victim", principal_id=1, now=utcnow())


@pytest.fixture
def redis_app(redis_prefix):
    from sqlmodel import SQLModel

    app = make_test_app(
        SESSION_STORE="redis", SESSION_REDIS_URL=REDIS_URL, SESSION_REDIS_PREFIX=redis_prefix
    )
    SQLModel.metadata.create_all(app.extensions["db_engine"])
    yield app
    app.extensions["db_engine"].dispose()


def test_sign_in_sign_out_and_disabling_work_with_sessions_in_redis(redis_app):
    from sqlmodel import Session

    from tests.people import build_world

    with Session(redis_app.extensions["db_engine"], expire_on_commit=False) as session:
        world = build_world(session)
        victim, officer, admin = (
            redis_app.test_client(),
            redis_app.test_client(),
            redis_app.test_client(),
        )
        sign_in_victim(victim, session, world.case_a.crime_reference)
        assert victim.get("/my-case").status_code == 200
        victim.post("/sign-out")
        assert victim.get("/my-case").status_code == 302

        sign_in_staff(officer, world.staff["officer_north"])
        assert officer.get("/staff/").status_code in (200, 302)
        assert officer.get("/staff/cases").status_code == 200
        sign_in_staff(admin, world.staff["admin"])
        disabled = admin.post(f"/staff/accounts/{world.staff['officer_north'].id}/disable")
        assert disabled.status_code == 303
        assert officer.get("/staff/cases").status_code == 302
