"""The API's routes: parse the request, call one service, answer in JSON."""

from __future__ import annotations

import re

from flask import Response, g, request, url_for
from flask_babel import force_locale
from pydantic import BaseModel

from portal.db import get_session
from portal.models.base import utcnow
from portal.services import (
    case_intake,
    case_outcome,
    case_status,
    closure_intake,
    event_intake,
    withdrawal_officer,
)
from portal.services.validation import InvalidInput, MalformedInput

from . import bp
from .errors import problem
from .openapi import document
from .schemas import CaseOut, ClosureOut, EventAccepted, WithdrawalOut

IDEMPOTENCY_HEADER = "Idempotency-Key"
_IDEMPOTENCY_KEY = re.compile(event_intake.IDEMPOTENCY_KEY_PATTERN)


def _json(model: BaseModel, status: int, headers: dict[str, str] | None = None) -> Response:
    return Response(
        model.model_dump_json(), status=status, mimetype="application/json", headers=headers
    )


def _body() -> bytes | Response:
    """The raw JSON body, or the Problem to answer (415 for another media type)."""
    if request.mimetype != "application/json":
        return problem(415, "Send the body as application/json.")
    return request.get_data(cache=False)  # 413 past API_MAX_BODY_BYTES


@bp.errorhandler(InvalidInput)
def invalid_input(error: InvalidInput) -> Response:
    if isinstance(error, MalformedInput):
        return problem(400, "The body is not valid JSON.", fields=error.errors)
    return problem(422, "Some fields are wrong: see fields.", fields=error.errors)


@bp.errorhandler(case_intake.NotAllowed)
def not_allowed(_error: case_intake.NotAllowed) -> Response:
    get_session().commit()  # keep the audited refusal
    return problem(403, "This key may not create cases for that force.")


@bp.errorhandler(case_intake.CaseExists)
def case_exists(_error: case_intake.CaseExists) -> Response:
    return problem(
        409,
        "A case with this crime reference already exists.",
        error="case_exists",
        fields=[{"field": "crime_reference", "message": "already exists"}],
    )


@bp.errorhandler(event_intake.CaseNotFound)
def case_not_found(_error: event_intake.CaseNotFound) -> Response:
    get_session().commit()  # keep the audited refusal, if there was one
    return problem(404, "No case with this crime reference.")


@bp.errorhandler(event_intake.IdempotencyKeyReused)
def idempotency_key_reused(_error: event_intake.IdempotencyKeyReused) -> Response:
    return problem(
        422,
        "This Idempotency-Key was already used for a different event on this case.",
        error="idempotency_key_reused",
        fields=[{"field": IDEMPOTENCY_HEADER, "message": "was used for a different event"}],
    )


@bp.errorhandler(event_intake.IdempotencyKeyBusy)
def idempotency_key_busy(_error: event_intake.IdempotencyKeyBusy) -> Response:
    return problem(
        409,
        "A request with this Idempotency-Key is still being processed; retry shortly.",
        error="idempotency_key_busy",
    )


@bp.errorhandler(case_outcome.ClosureError)
def closure_refused(error: case_outcome.ClosureError) -> Response:
    get_session().commit()  # keep the audited refusal
    code = "no_withdrawal_record" if isinstance(error, case_outcome.NoWithdrawalRecord) else None
    with force_locale("en"):
        return problem(409, str(error.message), error=code or "already_closed")


@bp.errorhandler(withdrawal_officer.Conflict)
def withdrawal_stands(error: withdrawal_officer.Conflict) -> Response:
    with force_locale("en"):
        return problem(409, str(error.message), error="withdrawal_stands")


@bp.get("/openapi.json")
def openapi() -> Response:
    return Response(document(), mimetype="application/json")


@bp.post("/cases")
def create_case() -> Response:
    body = _body()
    if isinstance(body, Response):
        return body
    new = case_intake.read_new_case(body)
    db = get_session()
    case, victims = case_intake.create_case(db, new, who=g.api_principal, now=utcnow())
    db.commit()
    created = CaseOut.of(case_status.CaseStatus(case, victims, events=[], notifications=[]))
    location = url_for("api.read_case", reference=case.crime_reference)
    return _json(created, 201, {"Location": location})


@bp.get("/cases/<crime_reference:reference>")
def read_case(reference: str) -> Response:
    db = get_session()
    found = case_status.read(db, g.api_principal, reference)
    db.commit()  # the audited views (or refusal)
    if found is None:
        return problem(404, "No case with this crime reference.")
    return _json(CaseOut.of(found), 200)


@bp.post("/cases/<crime_reference:reference>/events")
def record_event(reference: str) -> Response:
    key = request.headers.get(IDEMPOTENCY_HEADER)
    if key is not None and not _IDEMPOTENCY_KEY.fullmatch(key):
        raise InvalidInput(
            [{"field": IDEMPOTENCY_HEADER, "message": "must be 1-100 visible ASCII characters"}]
        )
    body = _body()
    if isinstance(body, Response):
        return body
    new = event_intake.read_new_event(body)
    db = get_session()
    received = event_intake.receive(
        db, reference, new, who=g.api_principal, idempotency_key=key, now=utcnow()
    )
    db.commit()
    headers = {"Idempotent-Replayed": "true"} if received.replayed else None
    return _json(EventAccepted.of(received), 202, headers)


@bp.post("/cases/<crime_reference:reference>/outcome")
def close_case(reference: str) -> Response:
    """Close with a Home Office outcome; 14/16 only on a withdrawal the victim confirmed."""
    body = _body()
    if isinstance(body, Response):
        return body
    new = closure_intake.read_outcome(body)
    db = get_session()
    with force_locale("en"):
        closure = closure_intake.close(db, reference, new, who=g.api_principal, now=utcnow())
    db.commit()
    return _json(ClosureOut.of(closure), 200)


@bp.post("/cases/<crime_reference:reference>/withdrawals")
def record_withdrawal(reference: str) -> Response:
    """Record a withdrawal an officer took; the victim is asked to confirm it."""
    body = _body()
    if isinstance(body, Response):
        return body
    new = closure_intake.read_officer_withdrawal(body)
    db = get_session()
    with force_locale("en"):
        recorded = closure_intake.record_withdrawal(
            db, reference, new, who=g.api_principal, now=utcnow()
        )
    db.commit()
    return _json(WithdrawalOut.of(recorded, reference), 201)
