"""Calm error pages in the user's language (JSON under /api/); never a stack trace."""

from __future__ import annotations

import logging

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from .api import errors as api_errors

log = logging.getLogger(__name__)


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(_error: CSRFError):
        return render_template("errors/expired.html"), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if api_errors.is_api_request():
            return api_errors.from_http_exception(error)
        return render_template("errors/error.html", status=error.code), error.code

    @app.errorhandler(OperationalError)
    def database_unavailable(_error: OperationalError):
        log.warning("database unavailable")
        if api_errors.is_api_request():
            return api_errors.problem(503, "The service is unavailable; retry shortly.")
        return render_template("errors/error.html", status=503), 503

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        log.exception("unhandled error: %s", type(error).__name__)
        if api_errors.is_api_request():
            return api_errors.problem(500, "Something went wrong on our side.")
        return render_template("errors/error.html", status=500), 500
