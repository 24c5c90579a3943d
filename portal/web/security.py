"""Security headers on every response; victim pages are never cached; no NUL byte in."""

from __future__ import annotations

from flask import Flask, Request, Response, abort, request
from werkzeug.datastructures import ImmutableMultiDict, MultiDict

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)


def _without_nul(value):
    return value.replace("\x00", "") if isinstance(value, str) else value


class NulFreeValues(ImmutableMultiDict):
    """Query and form values with every NUL byte dropped. No keyboard types NUL, and
    PostgreSQL can neither store nor compare text that holds one; dropping it loses
    nothing a person wrote, where refusing the form would lose everything they typed."""

    def __init__(self, mapping=None):
        if isinstance(mapping, MultiDict):
            mapping = list(mapping.items(multi=True))
        if isinstance(mapping, list | tuple):
            mapping = [(_without_nul(key), _without_nul(value)) for key, value in mapping]
        super().__init__(mapping)


class PortalRequest(Request):
    parameter_storage_class = NulFreeValues


def init_app(app: Flask) -> None:
    hsts = app.config["HSTS"]
    app.request_class = PortalRequest

    @app.before_request
    def refuse_nul_in_path() -> None:
        """A path with NUL was typed by no one: 400 (a page in the reader's language)
        instead of a 500 from a query that cannot compare it."""
        if "\x00" in request.path:
            abort(400)

    @app.after_request
    def add_security_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "no-referrer")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if hsts:
            headers.setdefault("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
        if request.endpoint != "static":
            # A page in the cache or history of a watched phone could betray the victim.
            headers["Cache-Control"] = "no-store"
            headers["Pragma"] = "no-cache"
        return response
