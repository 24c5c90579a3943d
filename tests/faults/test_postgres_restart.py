"""PostgreSQL stops under a running web server, then comes back: requests meanwhile get
a calm 503 page in the user's language, public pages that need no database still work,
quick exit still leaves, and everything resumes without restarting the app."""

from __future__ import annotations

import pytest
import requests
from sqlmodel import Session, SQLModel

from tests.faults.pages import busy_text
from tests.people import build_world, latest_code
from tests.support.apps import make_test_app, serving

pytestmark = pytest.mark.postgres

POLISH = {"Accept-Language": "pl"}


def _sign_in(base: str, engine, reference: str) -> requests.Session:
    browser = requests.Session()
    sent = browser.post(
        f"{base}/sign-in", data={"reference": reference, "channel": "sms"}, allow_redirects=False
    )
    assert sent.status_code == 303
    with Session(engine) as session:
        code = latest_code(session)
    signed_in = browser.post(f"{base}/sign-in/code", data={"code": code}, allow_redirects=False)
    assert signed_in.status_code == 303
    return browser


def test_requests_fail_calmly_while_postgres_is_down_and_resume_after(private_postgres):
    app = make_test_app(DATABASE_URL=private_postgres.url)
    engine = app.extensions["db_engine"]
    SQLModel.metadata.create_all(engine)
    with Session(engine, expire_on_commit=False) as session:
        reference = build_world(session).case_a.crime_reference
    with serving(app) as server:
        victim = _sign_in(server.url, engine, reference)
        leaving = _sign_in(server.url, engine, reference)
        assert victim.get(f"{server.url}/my-case").status_code == 200

        private_postgres.stop()
        page = victim.get(f"{server.url}/my-case", headers=POLISH)
        assert page.status_code == 503
        assert page.headers["Retry-After"] == "30"
        assert busy_text(app, "pl") in page.text
        assert 'lang="pl"' in page.text and "Traceback" not in page.text
        refused = requests.post(  # noqa: S113 - loopback test server
            f"{server.url}/sign-in", data={"reference": reference, "channel": "sms"}
        )
        assert refused.status_code == 503
        assert requests.get(f"{server.url}/rights/6", headers=POLISH, timeout=10).ok
        exit_ = leaving.get(f"{server.url}/exit", allow_redirects=False)
        assert exit_.status_code == 303
        assert exit_.headers["Location"] == app.config["QUICK_EXIT_URL"]

        private_postgres.start()
        again = victim.get(f"{server.url}/my-case", headers=POLISH)
        assert again.status_code == 200
        assert busy_text(app, "pl") not in again.text
        assert _sign_in(server.url, engine, reference).get(f"{server.url}/my-case").ok

        # A restart between two requests leaves only stale pooled connections behind:
        # the very next request must still succeed.
        private_postgres.stop()
        private_postgres.start()
        assert victim.get(f"{server.url}/my-case").status_code == 200
    engine.dispose()
