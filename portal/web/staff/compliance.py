"""The supervisors' Victims' Code compliance page: figures per area, counted in SQL."""

from __future__ import annotations

from flask import render_template

from portal.db import get_session
from portal.models import Role
from portal.models.base import utcnow
from portal.services import access, updates
from portal.web.auth import current_principal, staff_required

from . import bp


@bp.get("/compliance")
@staff_required(Role.SUPERVISOR)
def compliance() -> str:
    """Counts only, no victim's details: every area of the reader's force is shown, their
    own first."""
    who = current_principal()
    own_area = who.area
    areas = updates.compliance_by_area(
        get_session(), now=utcnow(), scope=access.oversight_scope(who)
    )
    areas.sort(key=lambda row: (row.area != own_area, row.area))
    return render_template("staff/compliance.html", areas=areas, own_area=own_area)
