"""Public pages: no sign-in needed."""

from flask import Blueprint

bp = Blueprint("public", __name__)

from . import discreet, views  # noqa: E402,F401
