"""Rate limits read from configuration, and the public pages' limit.

Which limits fail closed and which fail open when Redis is down is decided by the two
limiters in portal/extensions.py; docs/deploy.md explains the choice.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, current_app, request

from portal.extensions import public_limiter


def configured(name: str) -> Callable[[], str]:
    """A limit (Flask-Limiter syntax) taken from the app's configuration at request time."""
    return lambda: current_app.config[name]


def _never_limited() -> bool:
    """Quick exit must work however often it is pressed."""
    return request.endpoint == "public.quick_exit"


def limit_public_pages(bp: Blueprint) -> None:
    """Every page of `bp` counts towards one generous per-address limit, shared by all
    public pages, that fails open."""
    public_limiter.shared_limit(
        configured("PUBLIC_PAGE_LIMIT_PER_IP"), scope="public-pages", exempt_when=_never_limited
    )(bp)
