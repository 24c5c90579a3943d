"""Schemathesis against /api/v1/openapi.json: generated requests, valid and invalid, must
never get a 5xx, every answer must match the document, and nothing stored may break the
API's own rules.

The normal suite runs a bounded number of examples (about 30 s). For the full run set
API_FUZZ_EXAMPLES, the examples per operation (3 operations, plus the explicit and
coverage cases Schemathesis adds):

    API_FUZZ_EXAMPLES=3400 .venv/bin/python -m pytest -q tests/api/test_fuzz.py -s

The test prints how many requests it made.
"""

from __future__ import annotations

import json
import os
import random
import re
from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)
from sqlmodel import Session, SQLModel, select

from portal.models import Case, CaseEvent, CaseStage, CaseVictim, Notification, Victim
from portal.services import access, case_intake
from portal.services.case_intake import CRIME_REFERENCE_MAX
from portal.services.events import validate_params
from portal.services.validation import CRIME_REFERENCE_PATTERN, EARLIEST_YEAR, LATEST_YEAR
from tests.api.helpers import REFERENCE, case_body, new_key
from tests.support.apps import make_app

EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "25"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
    unsupported_method,
    ignored_auth,
]


class FuzzWorld:
    """One app for the whole run, with a key and one real case that generated events can
    land on (a random reference almost never exists)."""

    def __init__(self) -> None:
        self.app = make_app(API_RATE_LIMIT="1000000 per minute")
        self.engine = self.app.extensions["db_engine"]
        SQLModel.metadata.create_all(self.engine)
        with Session(self.engine) as session:
            self.auth = {"Authorization": f"Bearer {new_key(session)}"}
        client = self.app.test_client()
        response = client.post(
            "/api/v1/cases", json=case_body(officer_email=None), headers=self.auth
        )
        assert response.status_code == 201
        self.statuses: Counter[int] = Counter()
        self.last_ids: Counter[type] = Counter()
        self.cases_stored = 0
        self.random = random.Random(5)  # noqa: S311 - picks paths, not secrets


#: Built when the module is imported: Schemathesis binds its operations to the app
#: when the test is collected.
WORLD = FuzzWorld()
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WORLD.app)
schema.config.generation.update(
    modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE], max_examples=EXAMPLES
)


@pytest.fixture(scope="module")
def world() -> FuzzWorld:
    yield WORLD
    print(
        f"\nAPI fuzz: {sum(WORLD.statuses.values())} requests {dict(WORLD.statuses)}; "
        f"{WORLD.cases_stored} cases stored, each valid"
    )
    WORLD.engine.dispose()


def _as_submitted(case: Case, victims: list[Victim]) -> dict:
    """A stored case and its victims, written back as a POST /cases body."""

    def clock(value):
        return value.strftime("%H:%M") if value else None

    return {
        "crime_reference": case.crime_reference,
        "crime_category": case.crime_category,
        "force": case.force,
        "area": case.area,
        "domestic_abuse": case.domestic_abuse,
        "sexual_offence": case.sexual_offence,
        "enhanced_rights": case.enhanced_rights,
        "victims": [
            {
                "name": victim.name,
                "locale": victim.locale,
                "phone": victim.phone_e164,
                "email": victim.email,
                "channels": [
                    channel
                    for channel, allowed in (
                        ("sms", victim.sms_allowed),
                        ("email", victim.email_allowed),
                    )
                    if allowed
                ],
                "discreet": victim.discreet,
                "safe_hours": {
                    "start": clock(victim.safe_hours_start),
                    "end": clock(victim.safe_hours_end),
                }
                if victim.safe_hours_start
                else None,
            }
            for victim in victims
        ],
    }


def _valid_reference(value: object) -> bool:
    return (
        isinstance(value, str)
        and len(value) <= CRIME_REFERENCE_MAX
        and re.fullmatch(CRIME_REFERENCE_PATTERN, value) is not None
    )


def _newer(session: Session, model, last_id: int) -> list:
    return list(session.exec(select(model).where(model.id > last_id).order_by(model.id)).all())


def _new_rows_keep_the_rules(session: Session, world: FuzzWorld) -> None:
    """Whatever the last request stored would pass the API's own validation again."""
    for case in _newer(session, Case, world.last_ids[Case]):
        victims = access.victims_of_case(session, case.id)
        case_intake.read_new_case(json.dumps(_as_submitted(case, victims)))
        assert case.stage in set(CaseStage)
        world.last_ids[Case] = case.id
        world.cases_stored += 1
    for victim in _newer(session, Victim, world.last_ids[Victim]):
        assert session.exec(select(CaseVictim).where(CaseVictim.victim_id == victim.id)).all()
        world.last_ids[Victim] = victim.id
    for event in _newer(session, CaseEvent, world.last_ids[CaseEvent]):
        assert validate_params(event.type, event.params) == event.params
        assert EARLIEST_YEAR <= event.occurred_at.year <= LATEST_YEAR
        world.last_ids[CaseEvent] = event.id
    for notification in _newer(session, Notification, world.last_ids[Notification]):
        assert notification.body and notification.to_address
        world.last_ids[Notification] = notification.id


@schema.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_generated_requests_never_break_the_api_nor_store_garbage(case, world):
    reference = (case.path_parameters or {}).get("crime_reference")
    # A valid reference (the request may still be invalid elsewhere) is swapped, half the
    # time, for the one that exists, so events land on a real case.
    if reference is not None and _valid_reference(reference) and world.random.random() < 0.5:
        case.path_parameters["crime_reference"] = REFERENCE
    response = case.call_and_validate(headers=world.auth, checks=CHECKS)
    world.statuses[response.status_code] += 1
    with Session(world.engine) as session:
        _new_rows_keep_the_rules(session, world)
