"""Parts of pages that are the same for every reader in a language, rendered once per
language per process.

The rights pages are the busiest public pages, and most of their cost is looking up
dozens of translated strings. Their bodies depend only on the language and on which
right is shown, so each is rendered on first use and reused; the page around them (the
language picker with its form token, the quick exit) is still rendered per request.
Translations change only with a deployment, which restarts the workers.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from flask import render_template
from flask_babel import get_locale
from markupsafe import Markup

_rendered: dict[tuple, Markup] = {}


def same_for_everyone(template: str, key: Hashable, **context: Any) -> Markup:
    """`template` rendered with `context`, once per (language, `key`). `key` must name
    everything in `context` that changes the result."""
    cache_key = (template, str(get_locale()), key)
    found = _rendered.get(cache_key)
    if found is None:
        found = _rendered[cache_key] = Markup(render_template(template, **context))  # noqa: S704
    return found
