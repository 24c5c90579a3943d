"""Officers' and supervisors' cases, a case with its victims, and its audit trail."""

from __future__ import annotations

import json

from flask import Response, abort, render_template, request

from portal.db import get_session
from portal.models import Role
from portal.models.base import utcnow
from portal.services import access, audit, case_events, caseload, record_export
from portal.services.validation import written
from portal.web.auth import current_principal, staff_required
from portal.web.form_values import form_int

from . import bp, withdrawals
from .event_form import EVENT_LABELS
from .health import audit_witness


@bp.get("/cases")
@staff_required(Role.OFFICER, Role.SUPERVISOR)
def my_cases() -> str:
    """The cases to deal with, the most urgent deadline first (overdue at the top)."""
    rows = caseload.caseload(get_session(), current_principal(), now=utcnow())
    return render_template("staff/cases.html", rows=rows)


@bp.get("/cases/<id:case_id>")
@staff_required(Role.OFFICER, Role.SUPERVISOR, Role.ISVA)
def case(case_id: int) -> str:
    db = get_session()
    who = current_principal()
    found = access.open_case(db, who, case_id)
    victims = []
    if found is not None:
        # Each victim's details shown is a view of their record, audited one by one.
        for victim in access.victims_of_case(db, case_id):
            opened = access.open_victim(db, who, victim.id)
            if opened is not None:
                victims.append(opened)
    panel = None
    if found is not None and who.is_staff(Role.OFFICER, Role.SUPERVISOR):
        panel = withdrawals.case_panel(db, found)
    db.commit()
    if found is None:
        abort(404)
    return render_template(
        "staff/case.html",
        case=found,
        victims=victims,
        events=case_events.events_of(db, case_id),
        event_labels=EVENT_LABELS,
        recorded=form_int(request.args, "recorded"),
        granted=form_int(request.args, "granted"),
        withdrawal_panel=panel,
    )


@bp.get("/cases/<id:case_id>/audit")
@staff_required(Role.SUPERVISOR)
def case_audit(case_id: int) -> str:
    db = get_session()
    found = access.open_case(db, current_principal(), case_id, action="case.audit.view")
    db.commit()
    if found is None:
        abort(404)
    events = audit.trail_for(db, f"case:{case_id}")
    coverage = audit.case_coverage(db, events, **audit_witness())
    return render_template("staff/audit.html", case=found, events=events, coverage=coverage)


@bp.route("/victims/<id:victim_id>", methods=["GET", "POST"])
@staff_required()
def victim_record(victim_id: int) -> str:
    """A victim's record. An admin must give a reason (POST), which is audited."""
    db = get_session()
    reason = written(request.form.get("reason")) if request.method == "POST" else None
    victim = access.open_victim(db, current_principal(), victim_id, reason=reason)
    db.commit()
    if victim is None:
        abort(404)
    return render_template("staff/victim.html", victim=victim)


@bp.get("/victims/<id:victim_id>/export")
@staff_required(Role.OFFICER, Role.SUPERVISOR, Role.ISVA)
def export_victim(victim_id: int) -> Response:
    """A JSON download of the victim's record, limited to what the reader may see
    (audited as "export")."""
    db = get_session()
    who = current_principal()
    victim = access.open_victim(db, who, victim_id, action="export")
    if victim is None:
        db.commit()
        abort(404)
    now = utcnow()
    data = record_export.victim_export(db, who, victim, now=now)
    db.commit()
    filename = f"victim-{victim_id}-{now:%Y%m%d-%H%M%S}.json"
    return Response(
        json.dumps(data, ensure_ascii=False, indent=2),
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
