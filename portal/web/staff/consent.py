"""An officer records a victim's consent for an ISVA to see their case.

The link is scoped to the case the officer is looking at (an officer cannot give access
to cases they do not hold), for an ISVA working with the case's force. The victim sees
it in "My case" and can end it there.
"""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext, lazy_gettext
from werkzeug.wrappers import Response

from portal.db import get_session
from portal.models import Role, StaffUser
from portal.models.base import utcnow
from portal.services import access, accounts, preferences
from portal.services.validation import written
from portal.web.auth import current_principal, staff_required
from portal.web.form_values import form_int

from . import bp

CONSENT_METHOD_LABELS = {
    "in_person": lazy_gettext("In person"),
    "phone": lazy_gettext("By phone"),
    "letter": lazy_gettext("In writing"),
    "web": lazy_gettext("Through the portal"),
}
NOTE_MAX_LENGTH = 500


def _open(case_id: int, victim_id: int):
    """The case and one of its victims, both audited, or "not found"."""
    db = get_session()
    who = current_principal()
    case = access.open_case(db, who, case_id, action="advocate.grant.view")
    victim = None
    if case is not None:
        if victim_id in {v.id for v in access.victims_of_case(db, case_id)}:
            victim = access.open_victim(db, who, victim_id, action="advocate.grant.view")
        else:
            access.record_refusal(db, who, f"victim:{victim_id}", "advocate.grant.view")
    if victim is None:
        db.commit()
        abort(404)
    return case, victim


def _page(case, victim, form=None, errors=None, status=200):
    db = get_session()
    page = render_template(
        "staff/advocate_consent.html",
        case=case,
        victim=victim,
        isvas=accounts.staff_by_role(db, Role.ISVA, force=case.force),
        methods=CONSENT_METHOD_LABELS,
        current=preferences.advocate_links(db, victim.id),
        form=form or {},
        errors=errors or {},
        note_max=NOTE_MAX_LENGTH,
    )
    db.commit()
    return page, status


@bp.get("/cases/<id:case_id>/victims/<id:victim_id>/advocate")
@staff_required(Role.OFFICER, Role.SUPERVISOR)
def advocate_consent_form(case_id: int, victim_id: int):
    case, victim = _open(case_id, victim_id)
    return _page(case, victim)


@bp.post("/cases/<id:case_id>/victims/<id:victim_id>/advocate")
@staff_required(Role.OFFICER, Role.SUPERVISOR)
def record_advocate_consent(case_id: int, victim_id: int) -> Response:
    db = get_session()
    who = current_principal()
    case, victim = _open(case_id, victim_id)
    form = {key: written(request.form.get(key)) for key in ("isva_id", "method", "note")}
    errors = {}
    isva_id = form_int(request.form, "isva_id")
    isva = db.get(StaffUser, isva_id) if isva_id else None
    if (
        isva is None
        or isva.role != Role.ISVA
        or isva.disabled_at is not None
        or isva.force != case.force
    ):
        errors["isva_id"] = gettext("Choose the adviser (ISVA) from the list.")
    elif preferences.has_advocate(db, victim.id, isva.id, case.id):
        errors["isva_id"] = gettext("This adviser can already see this case.")
    if form["method"] not in preferences.CONSENT_METHODS:
        errors["method"] = gettext("Choose how the victim gave their consent.")
    if len(form["note"]) > NOTE_MAX_LENGTH:
        errors["note"] = gettext(
            "Use %(max)d characters or fewer (you used %(used)d).",
            max=NOTE_MAX_LENGTH,
            used=len(form["note"]),
        )
    if errors:
        return _page(case, victim, form, errors, 400)
    preferences.grant_advocate(
        db,
        victim,
        isva,
        actor=who.ref,
        given_via=form["method"],
        now=utcnow(),
        recorded_by_id=who.id,
        case_id=case.id,
        note=form["note"] or None,
    )
    db.commit()
    return redirect(url_for("staff.case", case_id=case.id, granted=victim.id), code=303)
