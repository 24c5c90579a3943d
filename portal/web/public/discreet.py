"""Discreet mode on the web: a victim who chose discreet messages may have a watched
phone, so the tab title (also kept in the browser history) names nothing."""

from __future__ import annotations

from portal.web.auth import current_victim

from . import bp


@bp.app_context_processor
def discreet_context() -> dict:
    victim = current_victim()
    return {"discreet_titles": bool(victim is not None and victim.discreet)}
