"""A member of staff's alerts: call-back requests, unreachable victims, check-ins due."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l

from portal.db import get_session
from portal.models import Role
from portal.models.base import utcnow
from portal.services import access, alerts, withdrawal_flow
from portal.services.access import Principal
from portal.web.auth import current_principal, current_staff, staff_required

from . import bp, withdrawal_labels

KIND_LABELS = {
    "callback_requested": _l("A victim asked for a call back"),
    "channel_unreachable": _l("A victim can no longer be reached one way (text or email)"),
    "victim_unreachable": _l("A victim cannot be reached in any way we may use"),
    "check_in_sent": _l("A routine check-in was sent for you: please follow it up"),
    "check_in_overdue": _l("A victim's update is overdue"),
    "withdrawal_confirmed": _l("A victim confirmed a withdrawal request"),
    "withdrawal_safeguarding": _l("A withdrawal request shows pressure or fear: safeguarding"),
    "withdrawal_pressure_reported": _l(
        "A victim said they were pressured or threatened about the case: safeguarding"
    ),
    "withdrawal_rescinded": _l("A victim changed their mind about withdrawing"),
    "service_recovery": _l("A victim asked for help instead of withdrawing"),
    "service_recovery_safeguarding": _l(
        "A victim asked for help and said they were pressured or afraid: safeguarding"
    ),
    **withdrawal_labels.ALERTS,
}
OTHER_KIND = _l("Something on this case needs your attention")


@bp.app_context_processor
def alert_count() -> dict:
    """How many alerts are open, for the staff menu."""

    def count() -> int:
        staff = current_staff()
        return alerts.open_count(get_session(), Principal.for_staff(staff)) if staff else 0

    return {"open_alert_count": count}


@bp.get("/alerts")
@staff_required(Role.OFFICER, Role.SUPERVISOR)
def my_alerts() -> str:
    db = get_session()
    rows = alerts.open_alerts(db, current_principal())
    return render_template(
        "staff/alerts.html",
        rows=rows,
        labels=KIND_LABELS,
        other_kind=OTHER_KIND,
        asked={
            alert_id: ", ".join(str(withdrawal_labels.HELP_OFFERS[offer]) for offer in offers)
            for alert_id, offers in withdrawal_flow.help_asked_in(
                db, [alert for alert, _ in rows]
            ).items()
        },
    )


#: Where "mark as done" may return to (a fixed list: never a redirect the form chooses).
BACK = {"alerts": "staff.my_alerts", "withdrawals": "staff.withdrawal_queue"}


@bp.post("/alerts/<id:alert_id>/done")
@staff_required(Role.OFFICER, Role.SUPERVISOR)
def resolve_alert(alert_id: int):
    db = get_session()
    who = current_principal()
    if not alerts.resolve(db, staff_id=who.id, alert_id=alert_id, now=utcnow()):
        access.record_refusal(db, who, f"alert:{alert_id}", "alert.resolve")
        db.commit()
        abort(404)
    db.commit()
    return redirect(url_for(BACK.get(request.form.get("back", ""), BACK["alerts"])), code=303)
