"""The officer's withdrawal queue, one record with its follow-ups, recording a withdrawal
taken by phone or in person, and closing a case with an outcome.

Officers act on their own cases and supervisors on their area's; anyone else gets 403
(wrong role) or 404 (someone else's record), and every refusal is audited.
"""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from portal.db import get_session
from portal.models import Case, Role, StaffAlert
from portal.models.base import utcnow
from portal.services import access, alerts, case_outcome, withdrawal_officer
from portal.services.withdrawal_officer import Conflict, InvalidInput, NotVisible
from portal.web.auth import current_principal, staff_required
from portal.web.form_values import form_int

from . import bp
from .withdrawal_labels import labels

POLICE = (Role.OFFICER, Role.SUPERVISOR)


def _render(template: str, status: int = 200, **context):
    return render_template(template, labels=labels(), **context), status


def _supervisor_alerts(db, who) -> list[tuple[StaffAlert, Case]]:
    if not who.is_staff(Role.SUPERVISOR):
        return []
    return [
        (alert, db.get(Case, alert.case_id))
        for alert, _reference in alerts.open_alerts(db, who)
        if alert.kind in labels()["alerts"]
    ]


@bp.get("/withdrawals")
@staff_required(*POLICE)
def withdrawal_queue():
    db = get_session()
    who = current_principal()
    page = _render(
        "staff/withdrawals/queue.html",
        items=withdrawal_officer.queue(db, who),
        flagged=_supervisor_alerts(db, who),
    )
    db.commit()
    return page


# --- One record --------------------------------------------------------------------------


def _record_page(kind: str, record_id: int, errors=None, form=None, message=None, status=200):
    """A withdrawal or an ask: an audited view of the case and the victim's record."""
    db = get_session()
    who = current_principal()
    try:
        opened = (
            withdrawal_officer.open_request(db, who, record_id)
            if kind == "withdrawal"
            else withdrawal_officer.open_ask(db, who, record_id)
        )
    except NotVisible:
        db.commit()
        abort(404)
    page = _render(
        "staff/withdrawals/record.html",
        status,
        kind=kind,
        opened=opened,
        evidence=withdrawal_officer.evidence_parts(
            opened.request.evidence_reference if opened.request else None
        ),
        errors=errors or {},
        form=form or {},
        message=message,
    )
    db.commit()
    return page


@bp.get("/withdrawals/<id:withdrawal_id>")
@staff_required(*POLICE)
def withdrawal_record(withdrawal_id: int):
    return _record_page("withdrawal", withdrawal_id)


@bp.get("/withdrawals/asks/<id:service_recovery_id>")
@staff_required(*POLICE)
def recovery_ask(service_recovery_id: int):
    return _record_page("recovery", service_recovery_id)


def _act(kind: str, record_id: int, change) -> Response:
    """Apply a change; on a refusal show the record again with the message, input kept."""
    db = get_session()
    form = request.form.to_dict()
    try:
        change(db, current_principal(), record_id)
    except NotVisible:
        db.commit()
        abort(404)
    except InvalidInput as invalid:
        db.rollback()
        return _record_page(kind, record_id, errors=invalid.errors, form=form, status=400)
    except Conflict as refused:
        db.rollback()
        return _record_page(kind, record_id, form=form, message=refused.message, status=409)
    db.commit()
    endpoint = "staff.withdrawal_record" if kind == "withdrawal" else "staff.recovery_ask"
    key = "withdrawal_id" if kind == "withdrawal" else "service_recovery_id"
    return redirect(url_for(endpoint, **{key: record_id}, saved=1), code=303)


def _follow_up_form() -> dict:
    return {
        "action": request.form.get("action", ""),
        "outcome": request.form.get("outcome") or None,
        "note": request.form.get("note"),
    }


@bp.post("/withdrawals/<id:withdrawal_id>/acknowledge")
@staff_required(*POLICE)
def acknowledge_withdrawal(withdrawal_id: int) -> Response:
    note = request.form.get("note")
    return _act(
        "withdrawal",
        withdrawal_id,
        lambda db, who, rid: withdrawal_officer.acknowledge(db, who, rid, note=note, now=utcnow()),
    )


@bp.post("/withdrawals/<id:withdrawal_id>/follow-ups")
@staff_required(*POLICE)
def withdrawal_follow_up(withdrawal_id: int) -> Response:
    fields = _follow_up_form()
    return _act(
        "withdrawal",
        withdrawal_id,
        lambda db, who, rid: withdrawal_officer.follow_up(db, who, rid, **fields, now=utcnow()),
    )


@bp.post("/withdrawals/asks/<id:service_recovery_id>/acknowledge")
@staff_required(*POLICE)
def acknowledge_ask(service_recovery_id: int) -> Response:
    note = request.form.get("note")
    return _act(
        "recovery",
        service_recovery_id,
        lambda db, who, rid: withdrawal_officer.acknowledge_ask(
            db, who, rid, note=note, now=utcnow()
        ),
    )


@bp.post("/withdrawals/asks/<id:service_recovery_id>/follow-ups")
@staff_required(*POLICE)
def ask_follow_up(service_recovery_id: int) -> Response:
    fields = _follow_up_form()
    return _act(
        "recovery",
        service_recovery_id,
        lambda db, who, rid: withdrawal_officer.follow_up_ask(db, who, rid, **fields, now=utcnow()),
    )


# --- On the case page: record a withdrawal taken by phone or in person, close the case -----


def case_panel(db, case: Case) -> dict:
    """What the case page shows about withdrawals, and the two forms' choices."""
    return {
        "records": withdrawal_officer.case_records(db, case.id),
        "outcome_codes": case_outcome.OUTCOMES,
        "does_not_support": case_outcome.VICTIM_DOES_NOT_SUPPORT,
        "labels": labels(),
    }


@bp.post("/cases/<id:case_id>/withdrawals")
@staff_required(*POLICE)
def record_withdrawal(case_id: int):
    db = get_session()
    form = {
        "victim_id": form_int(request.form, "victim_id"),
        "evidence_type": request.form.get("evidence_type", ""),
        "evidence_reference": request.form.get("evidence_reference", ""),
        "reasons": request.form.getlist("reasons"),
        "note": request.form.get("note", ""),
    }
    who = current_principal()
    try:
        case = withdrawal_officer.police_case(db, who, case_id, "withdrawal.record")
        recorded = withdrawal_officer.record_officer_withdrawal(
            db, case, actor=who.ref, officer_id=who.id, now=utcnow(), **form
        )
    except NotVisible:
        db.commit()
        abort(404)
    except (InvalidInput, Conflict) as refused:
        db.rollback()
        case = db.get(Case, case_id)
        page = _render(
            "staff/withdrawals/record_form_page.html",
            409 if isinstance(refused, Conflict) else 400,
            case=case,
            victims=access.victims_of_case(db, case.id),
            form=form,
            errors=getattr(refused, "errors", {}),
            message=refused.message,
        )
        return page
    db.commit()
    return redirect(
        url_for(
            "staff.withdrawal_record", withdrawal_id=recorded.request.id, asked=recorded.queued
        ),
        code=303,
    )


@bp.post("/cases/<id:case_id>/outcome")
@staff_required(*POLICE)
def close_case(case_id: int):
    db = get_session()
    who = current_principal()
    case = db.get(Case, case_id)
    if case is None or not access.may_see_case(db, who, case):
        access.record_refusal(db, who, f"case:{case_id}", "case.close")
        db.commit()
        abort(404)
    code = request.form.get("outcome_code", "")
    try:
        case_outcome.close_case(db, case, code, actor=who.ref, now=utcnow())
    except case_outcome.ClosureError as refused:
        db.commit()  # the refusal is in the audit trail
        status = 422 if isinstance(refused, case_outcome.UnknownOutcome) else 409
        return _render(
            "staff/withdrawals/close_refused.html",
            status,
            case=case,
            code=code,
            message=refused.message,
            outcome_codes=case_outcome.OUTCOMES,
        )
    db.commit()
    return redirect(url_for("staff.case", case_id=case.id, closed=1), code=303)
