"""JSON errors for the API: every failure under /api/ is a Problem, never an HTML page.

Errors raised before a view runs (unknown path, wrong method, body too large, rate
limit) reach the app-wide handlers in portal/web/errors.py, which ask `is_api_request`
and come here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from flask import Response, current_app, request
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES

from .schemas import FieldProblem, Problem

API_PREFIX = "/api/"

#: A stable code per status, for programs; the message is for the people reading logs.
ERROR_CODES = {
    400: "malformed_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "body_too_large",
    415: "unsupported_media_type",
    422: "invalid_input",
    429: "rate_limited",
    500: "server_error",
    503: "unavailable",
}
_MESSAGES = {
    404: "No such resource: see /api/v1/openapi.json.",
    405: "This method is not allowed here: see the Allow header.",
}
#: Headers a client needs to act on an error (which methods, when to retry, how to sign).
_KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")


def is_api_request() -> bool:
    return request.path.startswith(API_PREFIX)


def problem(
    status: int,
    message: str,
    *,
    error: str | None = None,
    fields: Iterable[Mapping[str, str]] = (),
    headers: Mapping[str, str] | None = None,
) -> Response:
    body = Problem(
        status=status,
        error=error or ERROR_CODES.get(status, "error"),
        message=message,
        fields=[FieldProblem(**field) for field in fields],
    )
    return Response(
        body.model_dump_json(), status=status, mimetype="application/json", headers=headers
    )


def from_http_exception(error: HTTPException) -> Response:
    """The Problem for a werkzeug error, keeping the headers a client acts on."""
    status = error.code or 500
    headers = {name: value for name, value in error.get_headers() if name in _KEPT_HEADERS}
    if status == 429:
        message = f"Too many requests for this key: the limit is {error.description}."
    elif status == 413:
        limit = current_app.config["API_MAX_BODY_BYTES"]
        message = f"The body is too large: at most {limit} bytes."
    else:
        message = _MESSAGES.get(status) or HTTP_STATUS_CODES.get(status, "Error")
    return problem(status, message, headers=headers)
