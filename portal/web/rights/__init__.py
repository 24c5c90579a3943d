"""The Victims' Code explained: public rights pages and the interpreter request form."""

from __future__ import annotations

from flask import Blueprint

from portal.models import Victim

bp = Blueprint("rights", __name__)


def current_victim() -> Victim | None:
    """The signed-in victim, or None for an anonymous visitor."""
    # wired to victim sign-in by the lead at merge
    return None


from . import views  # noqa: E402,F401
