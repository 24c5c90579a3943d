"""Who is signed in, for every blueprint: current_victim(), current_staff(),
@victim_required and @staff_required(*roles).

The Flask cookie carries a random session id ("sid"); everything else about the sign-in
lives in the AuthSession table, so sign-out and disabling an account work at once.
"""

from __future__ import annotations

from functools import wraps

from flask import Flask, abort, current_app, g, redirect, request, url_for
from flask import session as cookie
from werkzeug.wrappers import Response

from portal.db import get_session
from portal.models import StaffUser, Victim
from portal.models.base import utcnow
from portal.services import audit, sessions
from portal.services.access import Principal

SESSION_KEY = "sid"
#: What "sign out and clear" asks the browser to forget about this site.
CLEAR_SITE_DATA = '"cache", "cookies", "storage"'


def load_signed_in() -> None:
    """Before each request: resolve the session id into g.victim or g.staff."""
    g.victim = g.staff = g.auth_session = None
    token = cookie.get(SESSION_KEY)
    if not token or request.endpoint == "static":
        return
    db = get_session()
    now = utcnow()
    found = sessions.resolve(db, token, now=now)
    if found is not None and found.principal_kind == "victim":
        g.victim = db.get(Victim, found.principal_id)
        if g.victim is not None:
            g.victim_locale = g.victim.locale
    elif found is not None:
        user = db.get(StaffUser, found.principal_id)
        if user is None or user.disabled_at is not None:
            sessions.revoke(db, token, now=now)
            found = None
        else:
            g.staff = user
    if found is None:
        cookie.pop(SESSION_KEY, None)
    g.auth_session = found
    db.commit()


def sign_in(kind: str, principal_id: int, *, assisted: bool = False) -> None:
    """Start a fresh server-side session; the old cookie content is dropped (no fixation).
    The caller commits."""
    token = sessions.start(
        get_session(), kind=kind, principal_id=principal_id, now=utcnow(), assisted=assisted
    )
    cookie.clear()
    cookie[SESSION_KEY] = token


def sign_out() -> None:
    """End the session server-side and empty the cookie. The caller commits."""
    sessions.revoke(get_session(), cookie.get(SESSION_KEY), now=utcnow())
    cookie.clear()


def sign_out_and_leave(location: str) -> Response:
    """The one way out, for sign-out and quick exit alike: end the session on the
    server, drop the cookie and ask the browser to forget everything about this site."""
    sign_out()
    get_session().commit()
    response = redirect(location, code=303)
    response.delete_cookie(current_app.config["SESSION_COOKIE_NAME"])
    response.headers["Clear-Site-Data"] = CLEAR_SITE_DATA
    return response


def current_victim() -> Victim | None:
    return g.get("victim")


def current_staff() -> StaffUser | None:
    return g.get("staff")


def is_assisted() -> bool:
    found = g.get("auth_session")
    return bool(found and found.assisted)


def current_principal() -> Principal | None:
    if current_victim() is not None:
        return Principal.for_victim(current_victim().id)
    if current_staff() is not None:
        return Principal.for_staff(current_staff())
    return None


def _refuse(status: int, view_args: dict) -> None:
    """Audit a refused request by someone signed in, then answer `status`."""
    subject = next(
        (f"{key[:-3]}:{value}" for key, value in view_args.items() if key.endswith("_id")), None
    )
    db = get_session()
    audit.record(
        db,
        actor=current_principal().ref,
        action="access.denied",
        subject=subject,
        details={"endpoint": request.endpoint},
    )
    db.commit()
    abort(status)


def victim_required(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        if current_staff() is not None:
            _refuse(404, kwargs)
        if current_victim() is None:
            return redirect(url_for("victim.sign_in"))
        return view(*args, **kwargs)

    return wrapped


def staff_required(*roles: str):
    """Only signed-in staff (of one of `roles`, when given). Nobody signed in: go and sign
    in; a victim: "not found"; staff of another role: 403. Refusals are audited."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            user = current_staff()
            if current_victim() is not None:
                _refuse(404, kwargs)
            if user is None:
                return redirect(url_for("staff.sign_in"))
            if roles and user.role not in roles:
                _refuse(403, kwargs)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def init_app(app: Flask) -> None:
    app.before_request(load_signed_in)
