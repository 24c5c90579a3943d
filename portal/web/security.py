"""Security headers on every response; victim pages are never cached; no NUL byte in."""

from __future__ import annotations

from itertools import chain

from flask import Flask, Response, abort, request

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


def _carries_nul(values) -> bool:
    return any("\x00" in value for value in values)


def init_app(app: Flask) -> None:
    hsts = app.config["HSTS"]

    @app.before_request
    def refuse_nul_bytes() -> None:
        """No keyboard types NUL, and PostgreSQL can neither store nor compare text that
        holds one: a request carrying it in its path, query or form is refused at the
        door (400, a page in the reader's language) instead of failing in a query (500)."""
        fields = chain.from_iterable(values for _name, values in request.values.lists())
        if _carries_nul(chain([request.path], fields)):
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
