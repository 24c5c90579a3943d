"""The OpenAPI 3.1 document at /api/v1/openapi.json.

Every schema in it is generated from the pydantic models that validate the requests
(services/case_intake.py, services/event_intake.py) and serialise the responses
(schemas.py), so the document cannot drift from what the API accepts and answers. Only
the paths, their statuses and parameters are listed here.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from pydantic.json_schema import models_json_schema

from portal.services.case_intake import CRIME_REFERENCE_MAX, NewCase
from portal.services.closure_intake import NewOfficerWithdrawal, NewOutcome
from portal.services.event_intake import IDEMPOTENCY_KEY_PATTERN, NewEvent
from portal.services.validation import CRIME_REFERENCE_PATTERN

from .schemas import CaseOut, ClosureOut, EventAccepted, Problem, WithdrawalOut

REF_TEMPLATE = "#/components/schemas/{model}"

REFERENCE_PARAMETER = {
    "name": "crime_reference",
    "in": "path",
    "required": True,
    "description": "The crime reference, e.g. 01/123456/26 (a slash may be sent as %2F).",
    "schema": {
        "type": "string",
        "minLength": 1,
        "maxLength": CRIME_REFERENCE_MAX,
        "pattern": CRIME_REFERENCE_PATTERN,
    },
}
IDEMPOTENCY_PARAMETER = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": (
        "Send the same key when re-sending the same event: nothing new is created and the "
        "first answer comes back (header Idempotent-Replayed: true). The same key with a "
        "different event is refused with 422 (error idempotency_key_reused)."
    ),
    "schema": {"type": "string", "pattern": IDEMPOTENCY_KEY_PATTERN, "maxLength": 100},
}

_ERRORS = {
    400: "The body is not valid JSON.",
    401: "No API key, or a wrong or revoked one.",
    403: "This key may not act for that force.",
    404: "No case with this crime reference (or not one this key may see).",
    409: (
        "Conflict: the case exists; the same Idempotency-Key is still being processed; an "
        "outcome 14/16 without a withdrawal the victim confirmed (error no_withdrawal_record); "
        "the case is already closed; or a withdrawal record already stands."
    ),
    413: "The body is too large.",
    415: "The body is not application/json.",
    422: "Some fields are wrong; `fields` names each one.",
    429: "Too many requests for this key; see Retry-After.",
}


def _json_content(schema_name: str) -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": REF_TEMPLATE.format(model=schema_name)}}}


def _answers(ok_status: int, ok: dict[str, Any], errors: tuple[int, ...]) -> dict[str, Any]:
    answers = {str(ok_status): ok}
    for status in errors:
        answers[str(status)] = {"description": _ERRORS[status], "content": _json_content("Problem")}
    return answers


def _paths() -> dict[str, Any]:
    links = {
        "ReadCase": {
            "operationId": "readCase",
            "parameters": {"crime_reference": "$response.body#/crime_reference"},
        },
        "RecordEvent": {
            "operationId": "recordEvent",
            "parameters": {"crime_reference": "$response.body#/crime_reference"},
        },
    }
    return {
        "/api/v1/cases": {
            "post": {
                "operationId": "createCase",
                "summary": "Record a new case and its victims",
                "requestBody": {"required": True, "content": _json_content("NewCase")},
                "responses": _answers(
                    201,
                    {
                        "description": "Created.",
                        "headers": {
                            "Location": {
                                "description": "Where to read the case.",
                                "schema": {"type": "string"},
                            }
                        },
                        "content": _json_content("CaseOut"),
                        "links": links,
                    },
                    (400, 401, 403, 409, 413, 415, 422, 429),
                ),
            }
        },
        "/api/v1/cases/{crime_reference}": {
            "get": {
                "operationId": "readCase",
                "summary": "The case's stage, next update due, events and every message",
                "parameters": [REFERENCE_PARAMETER],
                "responses": _answers(
                    200,
                    {"description": "The case.", "content": _json_content("CaseOut")},
                    (401, 404, 429),
                ),
            }
        },
        "/api/v1/cases/{crime_reference}/events": {
            "post": {
                "operationId": "recordEvent",
                "summary": "Record an event and tell the victims",
                "parameters": [REFERENCE_PARAMETER, IDEMPOTENCY_PARAMETER],
                "requestBody": {"required": True, "content": _json_content("NewEvent")},
                "responses": _answers(
                    202,
                    {
                        "description": "Recorded; the victims' messages are queued.",
                        "headers": {
                            "Idempotent-Replayed": {
                                "description": "true when this answers a re-sent event.",
                                "schema": {"type": "string", "enum": ["true"]},
                            }
                        },
                        "content": _json_content("EventAccepted"),
                    },
                    (400, 401, 404, 409, 413, 415, 422, 429),
                ),
            }
        },
        "/api/v1/cases/{crime_reference}/outcome": {
            "post": {
                "operationId": "closeCase",
                "summary": "Close the case with a Home Office outcome code",
                "description": (
                    "Outcomes 14 and 16 (victim does not support) are refused with 409 unless "
                    "a withdrawal the victim confirmed stands on the case."
                ),
                "parameters": [REFERENCE_PARAMETER],
                "requestBody": {"required": True, "content": _json_content("NewOutcome")},
                "responses": _answers(
                    200,
                    {"description": "Closed.", "content": _json_content("ClosureOut")},
                    (400, 401, 404, 409, 413, 415, 422, 429),
                ),
            }
        },
        "/api/v1/cases/{crime_reference}/withdrawals": {
            "post": {
                "operationId": "recordWithdrawal",
                "summary": "Record a withdrawal an officer took by phone or in person",
                "description": (
                    "Needs the evidence reference. The record is sealed and the victim is "
                    "asked, in their language, to answer YES or NO (by SMS reply or in My "
                    "case; a discreet victim only in My case); until they confirm it does "
                    "not count for an outcome 14/16 closure."
                ),
                "parameters": [REFERENCE_PARAMETER],
                "requestBody": {
                    "required": True,
                    "content": _json_content("NewOfficerWithdrawal"),
                },
                "responses": _answers(
                    201,
                    {"description": "Recorded.", "content": _json_content("WithdrawalOut")},
                    (400, 401, 404, 409, 413, 415, 422, 429),
                ),
            }
        },
    }


@cache
def document() -> str:
    """The document as JSON text, built once per process."""
    _, definitions = models_json_schema(
        [
            (NewCase, "validation"),
            (NewEvent, "validation"),
            (CaseOut, "serialization"),
            (EventAccepted, "serialization"),
            (NewOutcome, "validation"),
            (ClosureOut, "serialization"),
            (NewOfficerWithdrawal, "validation"),
            (WithdrawalOut, "serialization"),
            (Problem, "serialization"),
        ],
        ref_template=REF_TEMPLATE,
    )
    spec = {
        "openapi": "3.1.0",
        "info": {
            "title": "Victims' portal: API for police record systems",
            "version": "1",
            "description": (
                "Push cases and events; the portal tells each victim in their language, "
                "on their safe channels and hours, within the Victims' Code deadlines."
            ),
        },
        "security": [{"bearer": []}],
        "paths": _paths(),
        "components": {
            "schemas": definitions["$defs"],
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }
    return json.dumps(spec, ensure_ascii=False)
