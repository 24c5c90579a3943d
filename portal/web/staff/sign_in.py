"""Staff sign-in: email and password, then a TOTP code (enrolled at first sign-in)."""

from __future__ import annotations

from flask import current_app, redirect, render_template, request, url_for
from flask import session as cookie
from flask_babel import gettext
from werkzeug.wrappers import Response

from portal.db import get_session
from portal.extensions import limiter
from portal.models import Role, StaffUser
from portal.models.base import utcnow
from portal.services import staff_sign_in
from portal.web import auth

from . import bp

PENDING_KEY = "staff_pending"
PENDING_SECONDS = 300


def _refused() -> str:
    return gettext("The email, password or code is not right, or you tried too many times.")


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["STAFF_SIGN_IN_LIMIT_PER_IP"], methods=["POST"])
def sign_in() -> str | Response:
    """Password first. Failures are throttled per account (shared by every process) and,
    here, per client address, so one machine cannot try many accounts."""
    error = None
    email = request.form.get("email", "").strip()
    if request.method == "POST":
        db = get_session()
        now = utcnow()
        result = staff_sign_in.check_password(db, email, request.form.get("password", ""), now)
        db.commit()
        if result.outcome == "ok":
            cookie.clear()
            cookie[PENDING_KEY] = [result.user.id, now.timestamp()]
            return redirect(url_for("staff.enter_code"), code=303)
        error = _refused()
    return render_template("staff/sign_in.html", email=email, error=error), 400 if error else 200


def _pending_user() -> StaffUser | None:
    pending = cookie.get(PENDING_KEY)
    if not pending or utcnow().timestamp() - pending[1] > PENDING_SECONDS:
        return None
    user = get_session().get(StaffUser, pending[0])
    return user if user is not None and user.disabled_at is None else None


@bp.route("/sign-in/code", methods=["GET", "POST"])
def enter_code() -> str | Response:
    db = get_session()
    user = _pending_user()
    if user is None:
        return redirect(url_for("staff.sign_in"), code=303)
    error = None
    if request.method == "POST":
        if staff_sign_in.check_totp(db, user, request.form.get("code", ""), utcnow()):
            auth.sign_in("staff", user.id)
            db.commit()
            return redirect(url_for("staff.home"), code=303)
        error = _refused()
    enrolling = user.totp_enrolled_at is None
    secret = staff_sign_in.secret_for_enrolment(user) if enrolling else None
    qr = staff_sign_in.enrolment_qr_data_uri(user, "Victim portal") if enrolling else None
    db.commit()
    page = render_template("staff/totp.html", error=error, secret=secret, qr=qr)
    return page, 400 if error else 200


@bp.post("/sign-out")
def sign_out() -> Response:
    return auth.sign_out_and_leave(url_for("staff.sign_in"))


@bp.get("/")
@auth.staff_required()
def home() -> Response:
    role = auth.current_staff().role
    if role == Role.ISVA:
        return redirect(url_for("staff.clients"))
    if role == Role.ADMIN:
        return redirect(url_for("staff.accounts"))
    return redirect(url_for("staff.my_cases"))
