"""The supervisors' Victims' Code compliance page: figures per area, counted in SQL."""

from __future__ import annotations

from flask import render_template

from portal.db import get_session
from portal.models import Role
from portal.models.base import utcnow
from portal.services import updates
from portal.web.auth import current_staff, staff_required

from . import bp


@bp.get("/compliance")
@staff_required(Role.SUPERVISOR)
def compliance() -> str:
    """Counts only, no victim's details: every area is shown, the reader's own first."""
    own_area = current_staff().area
    areas = updates.compliance_by_area(get_session(), now=utcnow())
    areas.sort(key=lambda row: (row.area != own_area, row.area))
    return render_template("staff/compliance.html", areas=areas, own_area=own_area)
