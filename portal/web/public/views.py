from __future__ import annotations

from dataclasses import replace
from datetime import date

from flask import current_app, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from portal.db import get_session
from portal.extensions import csrf
from portal.i18n import SUPPORTED_LOCALES, normalise
from portal.services import preferences
from portal.web.auth import current_principal, current_victim, sign_out_and_leave
from portal.web.locale import LANGUAGE_COOKIE
from portal.web.redirects import local_target

from . import bp

ONE_YEAR = 365 * 24 * 3600
#: When the accessibility statement was last prepared (update it with the statement).
ACCESSIBILITY_STATEMENT_PREPARED = date(2026, 11, 21)
#: Working days within which a reported accessibility problem gets an answer.
ACCESSIBILITY_REPLY_DAYS = 10


@bp.get("/")
def home() -> str:
    return render_template("public/home.html")


@bp.get("/online-safety")
def online_safety() -> str:
    """How to browse more safely, and what quick exit can and cannot do."""
    return render_template("public/online_safety.html")


@bp.get("/accessibility")
def accessibility() -> str:
    """The accessibility statement UK public bodies publish."""
    return render_template(
        "public/accessibility.html",
        language_count=len(SUPPORTED_LOCALES),
        prepared_on=ACCESSIBILITY_STATEMENT_PREPARED,
        reply_days=ACCESSIBILITY_REPLY_DAYS,
    )


@bp.route("/exit", methods=["GET", "POST"])
@csrf.exempt  # quick exit must always work, even when the form token has expired
def quick_exit() -> Response:
    """End any sign-in and leave for a neutral site.

    The browser's quick-exit script calls this with a beacon (POST) while it replaces
    the page itself; without JavaScript the button is a link to here (GET).
    """
    return sign_out_and_leave(current_app.config["QUICK_EXIT_URL"])


@bp.post("/language")
def choose_language() -> Response:
    locale = normalise(request.form.get("locale")) or "en"
    target = local_target(request.form.get("next"), url_for("public.home"))
    victim = current_victim()
    if victim is not None and victim.locale != locale:
        db = get_session()
        wanted = replace(preferences.Preferences.of(victim), locale=locale)
        preferences.change(db, victim, wanted, actor=current_principal().ref)
        db.commit()
    response = redirect(target, code=303)
    response.set_cookie(
        LANGUAGE_COOKIE,
        locale,
        max_age=ONE_YEAR,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Lax",
    )
    return response
