"""The production access log names routes, never paths: an API path carries a crime
reference, and gunicorn (deploy/gunicorn.conf.py, as in production) must not write it."""

from __future__ import annotations

import subprocess

import pytest
import requests
from sqlmodel import Session

from deploy.local_services import free_port
from deploy.run_local import LocalStack
from portal.models import Case
from portal.models.base import utcnow
from portal.services import api_keys
from tests.support.apps import make_app
from tests.support.environment import REDIS_URL

pytestmark = pytest.mark.postgres

REFERENCE = "47/918273/26"


def test_api_requests_leave_no_crime_reference_in_the_access_log(
    postgres_url, redis_prefix, tmp_path
):
    stack = LocalStack(
        database_url=postgres_url,
        web_port=free_port(),
        redis_url=REDIS_URL,
        key_prefix=redis_prefix.rstrip(":"),
    )
    web_log = tmp_path / "web.log"
    engine = make_app(DATABASE_URL=postgres_url).extensions["db_engine"]
    try:
        stack.prepare(demo=False)
        with Session(engine) as session:
            session.add(Case(crime_reference=REFERENCE, force="F", area="A", crime_category="C"))
            key = api_keys.create(session, "rms", force="F", now=utcnow()).secret
            session.commit()
        with web_log.open("w") as output:
            stack.start_web(1, stdout=output, stderr=subprocess.STDOUT)
        auth = {"Authorization": f"Bearer {key}"}
        base = f"{stack.url}/api/v1/cases"
        read = requests.get(f"{base}/{REFERENCE}", headers=auth, timeout=30)
        assert read.status_code == 200 and read.json()["crime_reference"] == REFERENCE
        escaped = REFERENCE.replace("/", "%2F")
        event = {"type": "suspect_arrested", "occurred_at": utcnow().isoformat()}
        sent = requests.post(f"{base}/{escaped}/events", json=event, headers=auth, timeout=30)
        assert sent.status_code == 202
        unknown = requests.get(f"{base}/{REFERENCE}9", headers=auth, timeout=30)
        assert unknown.status_code == 404
    finally:
        stack.stop()
        engine.dispose()

    logged = web_log.read_text()
    digits = REFERENCE.split("/")[1]
    assert REFERENCE not in logged and escaped not in logged and digits not in logged
    assert '"GET /api/v1/cases/<crime_reference:reference> HTTP/1.1" 200' in logged
    assert '"POST /api/v1/cases/<crime_reference:reference>/events HTTP/1.1" 202' in logged
    assert '"GET /api/v1/cases/<crime_reference:reference> HTTP/1.1" 404' in logged
