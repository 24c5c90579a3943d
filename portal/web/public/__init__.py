"""Public pages: no sign-in needed."""

from flask import Blueprint

from portal.web.limits import limit_public_pages

bp = Blueprint("public", __name__)
limit_public_pages(bp)

from . import discreet, views  # noqa: E402,F401
