"""Calm error pages in the user's language; never a stack trace."""

from __future__ import annotations

import logging

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(_error: CSRFError):
        return render_template("errors/expired.html"), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        return render_template("errors/error.html", status=error.code), error.code

    @app.errorhandler(OperationalError)
    def database_unavailable(_error: OperationalError):
        log.warning("database unavailable")
        return render_template("errors/error.html", status=503), 503

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        log.exception("unhandled error: %s", type(error).__name__)
        return render_template("errors/error.html", status=500), 500
