"""Officers record an event on a case, preview the exact messages, and send or schedule.

The flow is form -> preview -> send. A random submission id, made when the form is
first shown, travels with it and becomes the event's idempotency key: pressing "Send"
twice records one event and queues each message once.
"""

from __future__ import annotations

import uuid

from flask import abort, redirect, render_template, request, url_for
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response

from portal.db import get_session
from portal.i18n import html_lang, text_direction
from portal.models import Role
from portal.models.base import utcnow
from portal.services import access, case_events
from portal.services.contact import usable_channels
from portal.services.events import EVENT_TYPES
from portal.web.auth import current_principal, staff_required

from . import bp
from .event_form import (
    EVENT_LABELS,
    OCCURRED,
    SEND,
    SUBMISSION,
    fields_for,
    form_values,
    local_parts,
    parse,
)

RECORDERS = (Role.OFFICER, Role.SUPERVISOR)


def _open(case_id: int, action: str):
    """The case, audited as `action`, or "not found" (an audited refusal)."""
    db = get_session()
    case = access.open_case(db, current_principal(), case_id, action=action)
    db.commit()
    if case is None:
        abort(404)
    return case


def _event_type() -> str | None:
    wanted = request.values.get("type", "")
    return wanted if wanted in EVENT_TYPES else None


def _open_for_type(case_id: int, action: str):
    """The case (audited) and the event type the form names; 400 for an unknown type."""
    case = _open(case_id, action)
    event_type = _event_type()
    if event_type is None:
        abort(400)
    return case, event_type


def _form_page(case, event_type: str, values: dict, errors: dict | None = None, status=200):
    page = render_template(
        "staff/event_form.html",
        case=case,
        event_type=event_type,
        event_label=EVENT_LABELS[event_type],
        fields=fields_for(event_type),
        timed=EVENT_TYPES[event_type].timed,
        values=values,
        errors=errors or {},
    )
    return page, status


@bp.route("/cases/<id:case_id>/events/new", methods=["GET", "POST"])
@staff_required(*RECORDERS)
def new_event(case_id: int):
    """Choose an event type, then fill in its form (POST: back from the preview)."""
    case = _open(case_id, "case.event.form")
    event_type = _event_type()
    if event_type is None:
        return render_template("staff/event_types.html", case=case, labels=EVENT_LABELS)
    if request.method == "POST":
        values = form_values(request.form)
    else:
        day, clock = local_parts(utcnow())
        values = {
            f"{OCCURRED}_date": day,
            f"{OCCURRED}_time": clock,
            SEND: "now",
            SUBMISSION: uuid.uuid4().hex,
        }
    return _form_page(case, event_type, values)


@bp.post("/cases/<id:case_id>/events/preview")
@staff_required(*RECORDERS)
def preview_event(case_id: int):
    db = get_session()
    who = current_principal()
    case, event_type = _open_for_type(case_id, "case.event.preview")
    now = utcnow()
    parsed = parse(event_type, request.form, now=now)
    if parsed.submission is None:
        return _form_page(case, event_type, parsed.values, parsed.errors, 400)
    # Each victim's messages shown is a view of their record, audited one by one.
    victims = [
        victim
        for victim in access.victims_of_case(db, case.id)
        if access.open_victim(db, who, victim.id) is not None
    ]
    messages = case_events.plan_messages(
        db,
        case,
        event_type,
        parsed.submission.params,
        now=now,
        send_at=parsed.submission.send_at,
        victims=victims,
    )
    db.commit()
    page = render_template(
        "staff/event_preview.html",
        case=case,
        event_type=event_type,
        event_label=EVENT_LABELS[event_type],
        submission=parsed.submission,
        values=parsed.values,
        victims=[
            {
                "victim": victim,
                "messages": [
                    _shown(m, requested=parsed.submission.send_at or now)
                    for m in messages
                    if m.victim_id == victim.id
                ],
                "reachable": bool(usable_channels(victim)),
            }
            for victim in victims
        ],
    )
    return page


def _shown(message: case_events.PlannedMessage, *, requested) -> dict:
    """What the preview shows of one message, with the language and direction of its text."""
    return {
        "channel": message.channel,
        "to_address": message.to_address,
        "subject": message.subject,
        "body": message.body,
        "lang": html_lang(message.locale),
        "dir": text_direction(message.locale),
        "segments": message.sms_segments,
        "encoding": message.sms_encoding,
        "units": message.sms_units,
        "not_before": message.not_before,
        "held": message.not_before > requested,
    }


@bp.post("/cases/<id:case_id>/events")
@staff_required(*RECORDERS)
def record_event(case_id: int) -> Response:
    db = get_session()
    who = current_principal()
    case, event_type = _open_for_type(case_id, "case.event.record")
    parsed = parse(event_type, request.form, now=utcnow())
    if parsed.submission is None:
        return _form_page(case, event_type, parsed.values, parsed.errors, 400)
    submission = parsed.submission

    def record():
        return case_events.record_event(
            db,
            case,
            event_type,
            submission.params,
            occurred_at=submission.occurred_at,
            actor=who.ref,
            recorded_by_id=who.id,
            idempotency_key=f"web:{submission.submission}",
            send_at=submission.send_at,
        )

    try:
        recorded = record()
        db.commit()
    except IntegrityError:
        # The same form sent twice at once: the other request recorded it first.
        db.rollback()
        recorded = record()
        db.commit()
    return redirect(url_for("staff.case", case_id=case.id, recorded=recorded.event.id), code=303)
