"""The Victims' Code explained: public rights pages and the interpreter request form."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("rights", __name__)

from . import views  # noqa: E402,F401
