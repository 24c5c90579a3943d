"""Admins create and disable the staff accounts of their own force. Disabling ends their
sessions at once."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext
from werkzeug.wrappers import Response

from portal.db import get_session
from portal.models import Role, StaffUser
from portal.models.base import utcnow
from portal.services import access, accounts
from portal.services.validation import written
from portal.web.auth import current_principal, session_store, staff_required

from . import bp

MIN_PASSWORD_LENGTH = 12


def _page(form=None, errors=None, status=200):
    users = accounts.staff_of_force(get_session(), current_principal().force)
    page = render_template(
        "staff/accounts.html", users=users, roles=list(Role), form=form or {}, errors=errors or {}
    )
    return page, status


@bp.get("/accounts", endpoint="accounts")
@staff_required(Role.ADMIN)
def list_accounts():
    return _page()


@bp.post("/accounts")
@staff_required(Role.ADMIN)
def create_account():
    db = get_session()
    form = {
        k: written(request.form.get(k)) for k in ("email", "name", "role", "organisation", "area")
    }
    errors = {}
    if "@" not in form["email"]:
        errors["email"] = gettext("Enter an email address.")
    elif accounts.find_staff(db, form["email"]) is not None:
        errors["email"] = gettext("There is already an account with this email address.")
    if not form["name"]:
        errors["name"] = gettext("Enter a name.")
    if form["role"] not in set(Role):
        errors["role"] = gettext("Choose a role.")
    if not form["organisation"]:
        errors["organisation"] = gettext("Enter an organisation.")
    password = request.form.get("password", "")
    if len(password) < MIN_PASSWORD_LENGTH:
        errors["password"] = gettext(
            "Use a password of at least %(count)d characters.", count=MIN_PASSWORD_LENGTH
        )
    if errors:
        return _page(form, errors, 400)
    who = current_principal()
    accounts.create_staff(db, password=password, actor=who.ref, force=who.force, **form)
    db.commit()
    return redirect(url_for("staff.accounts"), code=303)


@bp.post("/accounts/<id:user_id>/disable")
@staff_required(Role.ADMIN)
def disable_account(user_id: int) -> Response:
    db = get_session()
    who = current_principal()
    user = db.get(StaffUser, user_id)
    if user is None or user.disabled_at is not None or not who.force or user.force != who.force:
        access.record_refusal(db, who, f"staff:{user_id}", "staff.disable")
        abort(404)
    accounts.disable_staff(db, user, actor=who.ref, now=utcnow(), session_store=session_store())
    db.commit()
    return redirect(url_for("staff.accounts"), code=303)
