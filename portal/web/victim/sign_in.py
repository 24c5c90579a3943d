"""Victim sign-in: crime reference, then a one-time code; sign out and clear."""

from __future__ import annotations

import hashlib

from flask import current_app, g, redirect, render_template, request, url_for
from flask import session as cookie
from flask_babel import get_locale, gettext, ngettext
from werkzeug.wrappers import Response

from portal.db import get_session
from portal.extensions import limiter
from portal.i18n import normalise
from portal.models import Channel
from portal.models.base import utcnow
from portal.services import victim_sign_in
from portal.web import auth
from portal.web.limits import configured

from . import bp

CHALLENGE_KEY = "challenge"
ASSISTED_KEY = "assisted"


def _reference_key() -> str:
    """Per-reference limit key: a hash, so no crime reference sits in Redis or the logs."""
    reference = victim_sign_in.normalise_reference(request.form.get("reference"))
    return "ref:" + hashlib.sha256(reference.encode()).hexdigest()[:24]


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(configured("VICTIM_SIGN_IN_LIMIT_PER_IP"), methods=["POST"])
@limiter.limit(
    configured("VICTIM_SIGN_IN_LIMIT_PER_REFERENCE"), key_func=_reference_key, methods=["POST"]
)
def sign_in() -> str | Response:
    form = {
        "reference": request.form.get("reference", "").strip(),
        "channel": request.form.get("channel", ""),
        "assisted": bool(request.form.get("assisted") or request.args.get("assisted")),
    }
    errors = {}
    if request.method == "POST":
        if not victim_sign_in.normalise_reference(form["reference"]):
            errors["reference"] = gettext("Enter your crime reference number.")
        if form["channel"] not in (Channel.SMS, Channel.EMAIL):
            errors["channel"] = gettext("Choose where we should send your code.")
        if not errors:
            db = get_session()
            token = victim_sign_in.send_code(
                db,
                reference=form["reference"],
                channel=form["channel"],
                secret_key=current_app.config["SECRET_KEY"],
                now=utcnow(),
            )
            db.commit()
            cookie[CHALLENGE_KEY] = token
            cookie[ASSISTED_KEY] = form["assisted"]
            return redirect(url_for("victim.enter_code"), code=303)
    return render_template("victim/sign_in.html", form=form, errors=errors), (
        400 if errors else 200
    )


@bp.route("/sign-in/code", methods=["GET", "POST"])
@limiter.limit(configured("VICTIM_CODE_LIMIT_PER_IP"), methods=["POST"])
def enter_code() -> str | Response:
    error = None
    expired = False
    if request.method == "POST":
        db = get_session()
        result = victim_sign_in.check_code(
            db,
            token=cookie.get(CHALLENGE_KEY),
            code=request.form.get("code", ""),
            secret_key=current_app.config["SECRET_KEY"],
            now=utcnow(),
        )
        if result.outcome == "ok":
            auth.sign_in("victim", result.victim_id, assisted=bool(cookie.get(ASSISTED_KEY)))
            db.commit()
            return redirect(url_for("victim.my_case"), code=303)
        db.commit()
        if result.outcome == "wrong":
            error = ngettext(
                "That code is not right. You can try %(num)d more time.",
                "That code is not right. You can try %(num)d more times.",
                result.attempts_left,
            )
        else:
            expired = True
            error = gettext("This code no longer works. Please ask for a new code.")
    return render_template("victim/code.html", error=error, expired=expired), (
        400 if error else 200
    )


@bp.post("/sign-out")
def sign_out() -> Response:
    """One tap: end the session on the server, empty the cookie, clear the site's data."""
    # Signing out clears the site's cookies, the language choice with them: the next
    # page is told the language in its address, so it is not suddenly in English.
    return auth.sign_out_and_leave(url_for("victim.signed_out", lang=str(get_locale())))


@bp.get("/signed-out")
def signed_out() -> str:
    chosen = normalise(request.args.get("lang"))
    if chosen:
        g.victim_locale = chosen
    return render_template("victim/signed_out.html")
