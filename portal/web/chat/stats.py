"""For supervisors and admins: how often the bot was asked what, in which language.

Anonymous counts only (services.chat_counts), so reading them is not audited.
"""

from __future__ import annotations

from flask import render_template, request

from portal.db import get_session
from portal.models import Role
from portal.models.base import utcnow
from portal.services import chat_counts
from portal.web.auth import staff_required
from portal.web.form_values import form_int
from portal.web.staff.labels import intent_label

from . import bp

DEFAULT_DAYS = 30
MAX_DAYS = 366


@bp.get("/staff/chat-stats")
@staff_required(Role.SUPERVISOR, Role.ADMIN)
def stats() -> str:
    days = min(form_int(request.args, "days") or DEFAULT_DAYS, MAX_DAYS)
    totals = chat_counts.totals(get_session(), days=days, now=utcnow())
    return render_template(
        "staff/chat_stats.html", totals=totals, days=days, intent_label=intent_label
    )
