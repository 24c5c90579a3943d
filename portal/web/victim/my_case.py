""" "My case": where the case is, who to contact, messages sent, and preferences."""

from __future__ import annotations

from datetime import time

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext
from werkzeug.wrappers import Response

from portal.db import get_session
from portal.i18n import SUPPORTED_LOCALES, normalise
from portal.models import Role, StaffUser, Victim
from portal.models.base import utcnow
from portal.services import (
    access,
    accounts,
    key_dates,
    preferences,
    sent_messages,
    withdrawal_confirmation,
    withdrawal_flow,
)
from portal.services.case_stages import STATUS_NAMES, timeline
from portal.web.auth import current_principal, current_victim, is_assisted, victim_required
from portal.web.form_values import form_int

from . import bp


def _case_view(db, case) -> dict:
    officer = db.get(StaffUser, case.officer_id) if case.officer_id else None
    return {
        "case": case,
        "dates": key_dates.key_dates(db, case, now=utcnow()),
        "steps": timeline(case.stage),
        "officer": officer,
    }


def _page(victim: Victim, cases: list, errors: dict | None = None, status: int = 200):
    db = get_session()
    messages = sent_messages.for_victim(db, victim.id)
    page = render_template(
        "victim/my_case.html",
        victim=victim,
        cases=[_case_view(db, case) for case in cases],
        withdrawals=withdrawal_flow.summaries(
            db, victim.id, [case.id for case in cases], now=utcnow()
        ),
        messages=messages,
        status_names=STATUS_NAMES,
        links=preferences.advocate_links(db, victim.id),
        isvas=accounts.staff_by_role(db, Role.ISVA),
        frequencies=preferences.UPDATE_FREQUENCIES,
        locales=SUPPORTED_LOCALES,
        assisted=is_assisted(),
        errors=errors or {},
        awaiting_confirmation=withdrawal_confirmation.awaiting_for(db, victim.id),
    )
    db.commit()
    return page, status


@bp.get("/my-case")
@victim_required
def my_case():
    db = get_session()
    who = current_principal()
    victim = access.open_victim(db, who, current_victim().id)
    cases = access.cases_for(db, who)
    # Commit the audited view now: the audit chain's lock is held until commit, and
    # holding it while the page renders would make every audited request wait in turn.
    db.commit()
    return _page(victim, cases)


@bp.get("/my-case/cases/<id:case_id>")
@victim_required
def one_case(case_id: int):
    db = get_session()
    case = access.open_case(db, current_principal(), case_id)
    db.commit()
    if case is None:
        abort(404)
    return _page(current_victim(), [case])


def _parse_time(text: str | None) -> time | None:
    """A time like 09:00; raises ValueError for anything else."""
    return time.fromisoformat(text) if text else None


def parse_safe_hours(form) -> tuple[time | None, time | None, str | None]:
    """The safe contact window from `safe_start` and `safe_end`: (start, end, None), or
    (None, None, the error message)."""
    try:
        start, end = _parse_time(form.get("safe_start")), _parse_time(form.get("safe_end"))
    except ValueError:
        return None, None, gettext("Enter times like 09:00.")
    if (start is None) != (end is None):
        return None, None, gettext("Enter both times, or leave both empty.")
    return start, end, None


def parse_preferences(form, victim: Victim) -> tuple[preferences.Preferences | None, dict]:
    """Read the preferences form; (None, errors keyed by field) when something is wrong."""
    errors = {}
    locale = normalise(form.get("locale")) or ""
    if locale not in SUPPORTED_LOCALES:
        errors["locale"] = gettext("Choose a language from the list.")
    start, end, safe_hours_error = parse_safe_hours(form)
    if safe_hours_error:
        errors["safe_hours"] = safe_hours_error
    frequency = form_int(form, "frequency")
    if frequency not in preferences.UPDATE_FREQUENCIES:
        errors["frequency"] = gettext("Choose how often you want an update.")
    sms, email = bool(form.get("sms_allowed")), bool(form.get("email_allowed"))
    if not (sms and victim.phone_e164) and not (email and victim.email):
        errors["channels"] = gettext("Choose at least one way we can contact you.")
    if errors:
        return None, errors
    return preferences.Preferences(
        locale=locale,
        sms_allowed=sms,
        email_allowed=email,
        safe_hours_start=start,
        safe_hours_end=end,
        discreet=bool(form.get("discreet")),
        update_frequency_days=frequency,
    ), {}


@bp.post("/my-case/preferences")
@victim_required
def save_preferences():
    db = get_session()
    who = current_principal()
    victim = access.open_victim(db, who, current_victim().id, action="victim.preferences.view")
    wanted, errors = parse_preferences(request.form, victim)
    if errors:
        return _page(victim, access.cases_for(db, who), errors, 400)
    preferences.change(db, victim, wanted, actor=who.ref)
    db.commit()
    return redirect(url_for("victim.my_case", saved=1) + "#preferences", code=303)


@bp.post("/my-case/advocates")
@victim_required
def grant_advocate() -> Response:
    db = get_session()
    victim = current_victim()
    isva_id = form_int(request.form, "isva_id")
    isva = db.get(StaffUser, isva_id) if isva_id else None
    link = None
    if isva is not None:
        link = preferences.grant_advocate(
            db, victim, isva, actor=current_principal().ref, given_via="web", now=utcnow()
        )
    db.commit()
    if link is None:
        abort(404)
    return redirect(url_for("victim.my_case") + "#advocates", code=303)


@bp.post("/my-case/advocates/<id:link_id>/revoke")
@victim_required
def revoke_advocate(link_id: int) -> Response:
    db = get_session()
    done = preferences.revoke_advocate(
        db, current_victim(), link_id, actor=current_principal().ref, now=utcnow()
    )
    db.commit()
    if not done:
        abort(404)
    return redirect(url_for("victim.my_case") + "#advocates", code=303)
