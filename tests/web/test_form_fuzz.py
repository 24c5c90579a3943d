"""Hostile input to every public, victim and staff route never gets a 500 (issue 13, item 8).

Routes come from app.url_map (the API has its own Schemathesis fuzz, webhooks check a
signature first). Each route is opened by the audience it is for, signed in as in
tests/pages.py, with:
- every integer in its path replaced by hostile ids (too large for any database column,
  zero, leading zeros) and every other path argument by hostile text;
- every form field any form reads (found in the templates and the views) set to values
  drawn by Hypothesis, seeded and bounded: huge integers, other scripts' digits, empty,
  very long, control and format characters, a right-to-left override, NUL bytes.
A 500, or an exception escaping to the test client, fails the test.

Set FORM_FUZZ_EXAMPLES for a longer run (examples per route and audience).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, SQLModel
from werkzeug.routing.converters import NumberConverter

from portal.services.events import EVENT_TYPES
from portal.web.converters import IdConverter
from portal.web.staff.event_form import OCCURRED, SEND, SUBMISSION
from tests.pages import ARGS, SESSION_STATE, cookie_value, signed_in_state
from tests.people import build_world
from tests.support.apps import make_test_app

EXAMPLES = int(os.environ.get("FORM_FUZZ_EXAMPLES", "3"))
ROOT = Path(__file__).resolve().parents[2]

#: Blueprints that are not forms for people: the API and the Twilio webhooks.
NOT_FORMS = {"api", "webhooks", "static"}
#: Who opens each blueprint's routes.
AUDIENCES = {
    "staff": ("officer", "supervisor", "isva", "admin"),
    "victim": ("public", "victim"),
}
PUBLIC_AND_VICTIM = ("public", "victim")

HOSTILE_IDS = ("99999999999999999999", "2147483648", "0")
HOSTILE_TEXT = (
    "99999999999999999999",
    "-1",
    "²",
    "١٢",
    "",
    " ",
    "\x00",
    "a\x00b",
    "\u202e",
    "\u202e\u202e\u202e",
    "\u200b",
    "\x1b[2J",
    "\r\n",
    "x" * 20_000,
    "1e309",
    "2026-02-30",
    "25:61",
    "//evil.example",
    "<script>alert(1)</script>",
)
#: Hostile values for a path argument that is not an integer.
PATH_TEXT = ("99999999999999999999", "²", "\u202e", "x" * 2000)
hostile = st.one_of(st.sampled_from(HOSTILE_TEXT), st.text(max_size=40))


def form_field_names() -> list[str]:
    """Every field name a form can send: names in the templates, names the views read,
    and the officer's event form fields (made from the event types)."""
    names = set()
    for template in (ROOT / "templates").rglob("*.html"):
        names |= set(re.findall(r'name="([A-Za-z_][\w-]*)"', template.read_text()))
    for view in (ROOT / "portal" / "web").rglob("*.py"):
        names |= set(re.findall(r'\.(?:get|getlist)\("([A-Za-z_]\w*)"', view.read_text()))
    names |= {"type", SEND, SUBMISSION}
    for base in (OCCURRED, SEND):
        names |= {f"{base}_date", f"{base}_time"}
    for event in EVENT_TYPES.values():
        for name in event.fields.model_fields:
            names |= {name, f"{name}_date", f"{name}_time"}
    return sorted(names - {"csrf_token", "viewport", "robots", "referrer"})


FIELDS = form_field_names()


@pytest.fixture(params=["sqlite", "postgresql"])
def fuzzed(request):
    """SQLite, and PostgreSQL, which refuses more (NUL bytes, ids past 2**31 - 1)."""
    url = "sqlite://" if request.param == "sqlite" else request.getfixturevalue("postgres_url")
    app = make_test_app(DATABASE_URL=url, RATELIMIT_ENABLED=False)
    SQLModel.metadata.create_all(app.extensions["db_engine"])
    with Session(app.extensions["db_engine"], expire_on_commit=False) as session:
        world = build_world(session)
    yield app, world
    app.extensions["db_engine"].dispose()


def _routes(app) -> list:
    rules = [r for r in app.url_map.iter_rules() if r.endpoint.rpartition(".")[0] not in NOT_FORMS]
    return sorted(rules, key=lambda rule: (rule.rule, rule.endpoint))


def _audiences(rule) -> tuple[str, ...]:
    return AUDIENCES.get(rule.endpoint.rpartition(".")[0], PUBLIC_AND_VICTIM)


def _paths(rule, world) -> list[str]:
    """The rule with real values, then with each argument in turn made hostile."""
    real = {name: str(ARGS[name](world)) if name in ARGS else "x" for name in rule.arguments}
    paths = [_fill(rule, real)]
    for name in sorted(rule.arguments):
        is_id = isinstance(rule._converters[name], IdConverter)
        for value in HOSTILE_IDS if is_id else PATH_TEXT:
            paths.append(_fill(rule, {**real, name: value}))
    return paths


def _fill(rule, values: dict[str, str]) -> str:
    return re.sub(
        r"<(?:[^:<>]+:)?([^<>]+)>", lambda m: quote(values[m.group(1)], safe=""), rule.rule
    )


def _fresh_state(app, world, audience: str, endpoint: str) -> dict:
    """A new sign-in for each request: a fuzzed sign-out must not end the others."""
    state = signed_in_state(app, world, audience)
    return {**state, **SESSION_STATE.get(endpoint, lambda _world: {})(world)}


def _send(app, world, audience, rule, method, path, values) -> int:
    client = app.test_client()
    state = _fresh_state(app, world, audience, rule.endpoint)
    client.set_cookie(app.config["SESSION_COOKIE_NAME"], cookie_value(app, state))
    if method == "GET":
        response = client.get(path, query_string=values)
    else:
        response = client.open(path, method=method, data=values)
    return response.status_code


def _fuzz_form(app, world, audience: str, rule, method: str, path: str) -> None:
    """Post (or query) the form with values drawn by Hypothesis: seeded and bounded."""

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(values=st.fixed_dictionaries({}, optional=dict.fromkeys(FIELDS, hostile)))
    def hostile_form(values):
        status = _send(app, world, audience, rule, method, path, values)
        assert status < 500, (audience, method, path, values)

    hostile_form()


#: The routes are fuzzed in this many parts, so the suite's workers share the work.
SHARDS = 3


@pytest.mark.parametrize("shard", range(SHARDS))
def test_no_route_answers_500_to_hostile_ids_or_form_values(fuzzed, shard):
    app, world = fuzzed
    answered = 0
    for rule in _routes(app)[shard::SHARDS]:
        paths = _paths(rule, world)
        for audience in _audiences(rule):
            for method in sorted(rule.methods & {"GET", "POST"}):
                for path in paths:
                    status = _send(app, world, audience, rule, method, path, {})
                    assert status < 500, (audience, method, path)
                _fuzz_form(app, world, audience, rule, method, paths[0])
                answered += len(paths) + EXAMPLES
    assert answered > 500 // SHARDS


def test_every_integer_in_a_route_is_bounded():
    """Every route argument that is an integer uses the bounded converter (<id:...>)."""
    app = make_test_app()
    for rule in app.url_map.iter_rules():
        for name, converter in rule._converters.items():
            if isinstance(converter, NumberConverter):
                assert isinstance(converter, IdConverter), (rule.rule, name)
