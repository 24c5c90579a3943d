"""The REST API for police record systems, under /api/v1.

Every request but the OpenAPI document needs `Authorization: Bearer KEY` (keys from
`flask --app wsgi api-keys create NAME`); requests are limited per key, bodies are JSON
and bounded in size, and every error is a JSON Problem. No CSRF: there is no cookie.
"""

from __future__ import annotations

from flask import Blueprint, current_app, g, request
from werkzeug.routing import PathConverter, ValidationError

from portal.db import get_session
from portal.extensions import csrf, limiter
from portal.services import api_keys
from portal.services.access import Principal
from portal.services.case_intake import CRIME_REFERENCE_MAX

from .errors import problem

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

PUBLIC_ENDPOINTS = frozenset({"api.openapi"})


class CrimeReferenceConverter(PathConverter):
    """A crime reference in a path, slashes and all ("01/123456/26" or "01%2F123456%2F26").

    Upper case only, so ".../events" can never be read as part of a reference.
    """

    regex = r"[A-Z0-9]+(?:[/-][A-Z0-9]+)*"

    def to_python(self, value: str) -> str:
        if len(value) > CRIME_REFERENCE_MAX:
            raise ValidationError
        return value


@bp.record_once
def _register_converter(state) -> None:
    state.app.url_map.converters["crime_reference"] = CrimeReferenceConverter


def bearer_token() -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return (token.strip() or None) if scheme.lower() == "bearer" else None


def _rate_limit_key() -> str:
    """One bucket per presented key (by its hash), so one busy system cannot starve others."""
    token = bearer_token()
    if token:
        return "api-key:" + api_keys.hash_key(token)
    return f"api-ip:{request.remote_addr}"


limiter.limit(lambda: current_app.config["API_RATE_LIMIT"], key_func=_rate_limit_key)(bp)


@bp.before_request
def authenticate():
    request.max_content_length = current_app.config["API_MAX_BODY_BYTES"]
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    key = api_keys.authenticate(get_session(), bearer_token())
    if key is None:
        return problem(
            401,
            "Send a valid API key: Authorization: Bearer KEY.",
            headers={"WWW-Authenticate": 'Bearer realm="api"'},
        )
    g.api_principal = Principal.for_api_key(key)
    return None


from . import views  # noqa: E402,F401 - registers the routes on bp
