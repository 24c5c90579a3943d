"""The Victims' Code explained: public rights pages and the interpreter request form."""

from __future__ import annotations

from flask import Blueprint

from portal.web.limits import limit_public_pages

bp = Blueprint("rights", __name__)
limit_public_pages(bp)

from . import views  # noqa: E402,F401
