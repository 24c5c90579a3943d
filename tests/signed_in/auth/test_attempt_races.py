"""Guessing in parallel: the attempt limits hold whatever the order of arrival, and a TOTP
code is accepted once (issue 13, items 5 and 6).

Each attack runs with real threads against real databases: a SQLite file and PostgreSQL.
"Checked" is counted where a secret is compared: an HMAC of the entered victim code, an
argon2 check against the account's real hash, a TOTP object made for the account.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator

import pyotp
import pytest
from sqlmodel import Session, SQLModel, select

from portal.models import SignInChallenge
from portal.services import accounts, staff_sign_in, victim_sign_in
from tests.people import PASSWORD, build_world, latest_code, sign_in_staff
from tests.support.apps import make_test_app

PARALLEL_WRONG = 20
LIMIT = victim_sign_in.MAX_ATTEMPTS


@pytest.fixture(params=["sqlite", "postgresql"])
def app(request, tmp_path) -> Iterator:
    """The app on a real database file or server, each request in its own connection."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'race.sqlite3'}"
    else:
        url = request.getfixturevalue("postgres_url")
    # The attacker sends from many addresses: the per-address limits are not what is tested.
    app = make_test_app(
        DATABASE_URL=url,
        VICTIM_CODE_LIMIT_PER_IP="1000 per minute",
        STAFF_SIGN_IN_LIMIT_PER_IP="1000 per minute",
    )
    SQLModel.metadata.create_all(app.extensions["db_engine"])
    yield app
    app.extensions["db_engine"].dispose()


@pytest.fixture
def world(app):
    with Session(app.extensions["db_engine"], expire_on_commit=False) as session:
        return build_world(session)


def all_at_once(jobs: list[Callable[[], object]]) -> list:
    """Run every job in its own thread, released together; their results in order."""
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def run(index: int) -> None:
        barrier.wait()
        results[index] = jobs[index]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def clients_sharing_cookie(app, source, count: int) -> list:
    """`count` browsers holding a copy of `source`'s session cookie (the attacker's)."""
    name = app.config["SESSION_COOKIE_NAME"]
    value = source.get_cookie(name).value
    clients = [app.test_client() for _ in range(count)]
    for client in clients:
        client.set_cookie(name, value)
    return clients


def wrong_codes(right: set[str], count: int) -> list[str]:
    candidates = (f"{n:06d}" for n in range(1, 10**6, 7919))
    return [code for code in candidates if code not in right][:count]


class Counter:
    """A thread-safe count of calls to a wrapped function that match `which`."""

    def __init__(self, function, which=lambda *args, **kwargs: True) -> None:
        self.count, self._lock = 0, threading.Lock()
        self._function, self._which = function, which

    def __call__(self, *args, **kwargs):
        if self._which(*args, **kwargs):
            with self._lock:
                self.count += 1
        return self._function(*args, **kwargs)


# --- Victims: the five tries of a sign-in code ---------------------------------------


def _victim_challenge(app, world):
    client = app.test_client()
    client.post("/sign-in", data={"reference": world.case_a.crime_reference, "channel": "sms"})
    with Session(app.extensions["db_engine"]) as session:
        return client, latest_code(session)


def _signed_in(response) -> bool:
    return response.status_code == 303 and response.headers["Location"].endswith("/my-case")


def test_twenty_parallel_wrong_codes_then_the_right_one_does_not_sign_in(app, world, monkeypatch):
    attacker, code = _victim_challenge(app, world)
    checked = Counter(victim_sign_in._code_hash)
    monkeypatch.setattr(victim_sign_in, "_code_hash", checked)
    guessers = clients_sharing_cookie(app, attacker, PARALLEL_WRONG)
    answers = all_at_once(
        [
            lambda c=c, guess=guess: c.post("/sign-in/code", data={"code": guess})
            for c, guess in zip(guessers, wrong_codes({code}, PARALLEL_WRONG), strict=True)
        ]
    )
    assert {answer.status_code for answer in answers} == {400}
    assert checked.count <= LIMIT
    late = attacker.post("/sign-in/code", data={"code": code})
    assert not _signed_in(late)
    assert "This code no longer works" in late.get_data(as_text=True)
    assert attacker.get("/my-case").status_code == 302
    with Session(app.extensions["db_engine"]) as session:
        assert session.exec(select(SignInChallenge)).one().attempts == LIMIT


def test_the_right_code_among_twenty_parallel_guesses_is_checked_only_within_the_limit(
    app, world, monkeypatch
):
    attacker, code = _victim_challenge(app, world)
    checked = Counter(victim_sign_in._code_hash)
    monkeypatch.setattr(victim_sign_in, "_code_hash", checked)
    guesses = [*wrong_codes({code}, PARALLEL_WRONG // 2), code]
    guesses += wrong_codes({code}, PARALLEL_WRONG)[PARALLEL_WRONG // 2 :]
    guessers = clients_sharing_cookie(app, attacker, len(guesses))
    answers = all_at_once(
        [
            lambda c=c, guess=guess: c.post("/sign-in/code", data={"code": guess})
            for c, guess in zip(guessers, guesses, strict=True)
        ]
    )
    assert checked.count <= LIMIT
    assert all(answer.status_code in (303, 400) for answer in answers)
    assert sum(map(_signed_in, answers)) <= 1


def test_one_code_entered_twice_at_once_signs_in_once(app, world):
    attacker, code = _victim_challenge(app, world)
    both = clients_sharing_cookie(app, attacker, 2)
    answers = all_at_once([lambda c=c: c.post("/sign-in/code", data={"code": code}) for c in both])
    assert sum(map(_signed_in, answers)) == 1


# --- Staff: the shared throttle of passwords and TOTP codes ---------------------------


def test_twenty_parallel_wrong_passwords_are_checked_five_times_at_most(app, world, monkeypatch):
    user = world.staff["officer_north"]
    real_checks = Counter(
        accounts.password_matches,
        lambda password_hash, _password: password_hash == user.password_hash,
    )
    monkeypatch.setattr(accounts, "password_matches", real_checks)
    guessers = [app.test_client() for _ in range(PARALLEL_WRONG)]
    answers = all_at_once(
        [
            lambda c=c, n=n: c.post(
                "/staff/sign-in", data={"email": user.email, "password": f"guess {n}"}
            )
            for n, c in enumerate(guessers)
        ]
    )
    assert {answer.status_code for answer in answers} == {400}
    assert real_checks.count <= staff_sign_in.MAX_FAILURES
    right = app.test_client().post(
        "/staff/sign-in", data={"email": user.email, "password": PASSWORD}
    )
    assert right.status_code == 400  # locked: the right password is not even looked at


def _password_done(app, user):
    client = app.test_client()
    client.post("/staff/sign-in", data={"email": user.email, "password": PASSWORD})
    return client


def _codes_now(secret: str) -> set[str]:
    """Every code the server could accept now (one step of drift either way)."""
    totp = pyotp.TOTP(secret)
    return {totp.at(time.time(), counter_offset=o) for o in (-1, 0, 1)}


def test_twenty_parallel_wrong_totp_codes_are_checked_five_times_at_most(app, world, monkeypatch):
    user = world.staff["officer_north"]
    attacker = _password_done(app, user)
    right = pyotp.TOTP(user.totp_secret).now()
    guesses = wrong_codes(_codes_now(user.totp_secret), PARALLEL_WRONG)
    checks = Counter(pyotp.TOTP, lambda secret, *a, **k: secret == user.totp_secret)
    monkeypatch.setattr(pyotp, "TOTP", checks)
    guessers = clients_sharing_cookie(app, attacker, PARALLEL_WRONG)
    answers = all_at_once(
        [
            lambda c=c, guess=guess: c.post("/staff/sign-in/code", data={"code": guess})
            for c, guess in zip(guessers, guesses, strict=True)
        ]
    )
    assert {answer.status_code for answer in answers} == {400}
    assert checks.count <= staff_sign_in.MAX_FAILURES
    late = attacker.post("/staff/sign-in/code", data={"code": right})
    assert late.status_code == 400
    assert attacker.get("/staff/cases").status_code == 302


# --- Staff: a TOTP code is accepted once ---------------------------------------------


def _totp_at(secret: str, offset: int) -> str:
    return pyotp.TOTP(secret).at(time.time(), counter_offset=offset)


def test_the_same_totp_code_is_refused_the_second_time(app, world):
    user = world.staff["officer_north"]
    code = pyotp.TOTP(user.totp_secret).now()
    first = _password_done(app, user).post("/staff/sign-in/code", data={"code": code})
    assert first.status_code == 303
    replay = _password_done(app, user)
    assert replay.post("/staff/sign-in/code", data={"code": code}).status_code == 400
    assert replay.get("/staff/cases").status_code == 302


def test_a_code_of_an_earlier_step_is_refused_after_a_later_one_was_used(app, world):
    user = world.staff["officer_north"]
    later, earlier = _totp_at(user.totp_secret, 0), _totp_at(user.totp_secret, -1)
    assert (
        _password_done(app, user).post("/staff/sign-in/code", data={"code": later}).status_code
        == 303
    )
    stale = _password_done(app, user)
    assert stale.post("/staff/sign-in/code", data={"code": earlier}).status_code == 400
    assert stale.get("/staff/cases").status_code == 302


def test_one_totp_code_sent_twice_at_once_signs_in_once(app, world):
    user = world.staff["officer_north"]
    code = pyotp.TOTP(user.totp_secret).now()
    both = [_password_done(app, user), _password_done(app, user)]
    answers = all_at_once(
        [lambda c=c: c.post("/staff/sign-in/code", data={"code": code}) for c in both]
    )
    assert sorted(answer.status_code for answer in answers) == [303, 400]


def test_the_test_helper_signs_the_same_account_in_twice(app, world):
    """tests.people.sign_in_staff forgets the last used step, as if time had passed."""
    user = world.staff["officer_north"]
    for _ in range(2):
        assert sign_in_staff(app.test_client(), user).status_code == 303
