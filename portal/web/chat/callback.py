"""Ask for a call back, from the chat or from My case.

A signed-in victim picks the case and confirms the safe times to call (their saved
ones, which they may change here: the change is saved to their choices, audited). The
officer gets an alert, once per case per day. Anyone not signed in is told how to sign
in or whom to call, and nothing is recorded.
"""

from __future__ import annotations

from dataclasses import replace

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext

from portal.db import get_session
from portal.models import Case, Victim
from portal.models.base import utcnow
from portal.services import access, callbacks, preferences
from portal.web.auth import current_principal, current_victim, victim_required
from portal.web.form_values import form_int
from portal.web.victim.my_case import parse_safe_hours

from . import bp


def _own_victim_and_cases() -> tuple[Victim, list[Case]]:
    """The signed-in victim's record (shown, so audited as a view) and their cases."""
    db = get_session()
    who = current_principal()
    victim = access.open_victim(db, who, current_victim().id, action="victim.preferences.view")
    return victim, access.cases_for(db, who)


def _form_page(victim: Victim, cases: list[Case], form, errors: dict, status: int = 200):
    chosen = form_int(form, "case_id") or (cases[0].id if len(cases) == 1 else None)
    page = render_template(
        "chat/callback.html",
        victim=victim,
        cases=cases,
        chosen_case=chosen,
        form=form,
        errors=errors,
    )
    get_session().commit()
    return page, status


@bp.get("/chat/call-back")
def callback():
    if current_victim() is None:
        return render_template("chat/callback_sign_in.html")
    victim, cases = _own_victim_and_cases()
    return _form_page(victim, cases, request.args, {})


@bp.post("/chat/call-back")
@victim_required
def request_callback():
    db = get_session()
    who = current_principal()
    victim, cases = _own_victim_and_cases()
    errors = {}
    case_id = form_int(request.form, "case_id")
    if case_id not in {case.id for case in cases}:
        errors["case_id"] = gettext("Choose the case you want to talk about.")
    start, end, safe_hours_error = parse_safe_hours(request.form)
    if safe_hours_error:
        errors["safe_hours"] = safe_hours_error
    if errors:
        return _form_page(victim, cases, request.form, errors, 400)
    if (start, end) != (victim.safe_hours_start, victim.safe_hours_end):
        wanted = replace(
            preferences.Preferences.of(victim), safe_hours_start=start, safe_hours_end=end
        )
        preferences.change(db, victim, wanted, actor=who.ref)
    asked = callbacks.request_callback(db, who, case_id, now=utcnow())
    db.commit()
    if asked is None:
        abort(404)
    return redirect(url_for("chat.callback_asked", again=0 if asked.new else 1), code=303)


@bp.get("/chat/call-back/asked")
@victim_required
def callback_asked():
    victim, _cases = _own_victim_and_cases()
    get_session().commit()
    return render_template(
        "chat/callback_asked.html", victim=victim, again=request.args.get("again") == "1"
    )
