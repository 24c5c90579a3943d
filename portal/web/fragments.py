"""Pages and parts of pages that are the same for every reader in a language, rendered
once per language per process.

The rights pages are the busiest public pages, and most of their cost is looking up
dozens of translated strings. A right's body depends only on the language and on which
right is shown, so it is rendered on first use and reused. The whole page is reused too,
but only for visitors the app knows nothing about (not signed in, nothing in their
cookie but a form token, no query string): the form token is put in per request, so
every visitor still gets their own. Anyone else gets a page rendered afresh, so nothing
that belongs to one reader can ever be shown to another. Translations change only with
a deployment, which restarts the workers.
"""

from __future__ import annotations

import secrets
from collections.abc import Hashable
from typing import Any

from flask import current_app, g, render_template, request
from flask import session as cookie
from flask_babel import get_locale
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

#: Stands in for the form token in a reused page.
_TOKEN_HOLE = secrets.token_hex(16)
_rendered: dict[tuple, str] = {}


def _language_key() -> tuple[str, bool]:
    locale = str(get_locale())  # first: choosing the locale sets g.language_unavailable
    return locale, bool(g.get("language_unavailable"))


def same_for_everyone(template: str, key: Hashable, **context: Any) -> Markup:
    """`template` rendered with `context`, once per (language, `key`). `key` must name
    everything in `context` that changes the result."""
    cache_key = ("part", template, _language_key(), key)
    found = _rendered.get(cache_key)
    if found is None:
        found = _rendered[cache_key] = render_template(template, **context)
    return Markup(found)  # noqa: S704 - our own rendered, autoescaped template


def _unknown_visitor() -> bool:
    signed_in = g.get("victim") is not None or g.get("staff") is not None
    return not (signed_in or request.query_string or set(cookie) - {"csrf_token"})


def page_for_anyone(template: str, key: Hashable, **context: Any) -> str:
    """The page `template`, reused per (language, path, `key`) for unknown visitors."""
    if not _unknown_visitor():
        return render_template(template, **context)
    cache_key = ("page", id(current_app), template, _language_key(), request.path, key)
    found = _rendered.get(cache_key)
    if found is None:
        found = render_template(template, csrf_token=lambda: _TOKEN_HOLE, **context)
        _rendered[cache_key] = found
    return found.replace(_TOKEN_HOLE, generate_csrf())
