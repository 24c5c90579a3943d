"""Calm error pages in the user's language (JSON under /api/); never a stack trace.

The handlers for an unavailable database, session store or rate-limit store render a
page that needs none of them (base.html reads only the request and configuration), so
the page still shows while PostgreSQL or Redis is down.
"""

from __future__ import annotations

import logging

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from limits.errors import StorageError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from portal.services.sessions import SessionStoreUnavailable

from .api import errors as api_errors

log = logging.getLogger(__name__)

#: Seconds a client is asked to wait after a 503.
RETRY_AFTER_SECONDS = 30


def _busy():
    retry = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    if api_errors.is_api_request():
        return api_errors.problem(503, "The service is unavailable; retry shortly.", headers=retry)
    return render_template("errors/error.html", status=503), 503, retry


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(_error: CSRFError):
        return render_template("errors/expired.html"), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if api_errors.is_api_request():
            return api_errors.from_http_exception(error)
        if error.code == 503:
            return _busy()
        return render_template("errors/error.html", status=error.code), error.code

    @app.errorhandler(OperationalError)
    def database_unavailable(_error: OperationalError):
        log.warning("database unavailable")
        return _busy()

    @app.errorhandler(SessionStoreUnavailable)
    def session_store_unavailable(_error: SessionStoreUnavailable):
        log.warning("session store unavailable")
        return _busy()

    @app.errorhandler(StorageError)
    def rate_limit_store_unavailable(_error: StorageError):
        # Sign-in limits fail closed: no code is sent or checked until the store is back.
        log.warning("rate-limit store unavailable: refusing a rate-limited request")
        return _busy()

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        log.exception("unhandled error: %s", type(error).__name__)
        if api_errors.is_api_request():
            return api_errors.problem(500, "Something went wrong on our side.")
        return render_template("errors/error.html", status=500), 500
