"""Who is signed in, for every blueprint: current_victim(), current_staff(),
@victim_required and @staff_required(*roles).

The Flask cookie carries a random session id ("sid"); everything else about the sign-in
lives in the session store (portal/services/sessions.py), so sign-out and disabling an
account work at once. When the store cannot be reached, public pages still work (as
signed out), pages that need a sign-in answer a calm 503, and quick exit still leaves.
"""

from __future__ import annotations

import logging
from functools import wraps

from flask import Flask, abort, current_app, g, redirect, request, url_for
from flask import session as cookie
from sqlalchemy.exc import OperationalError
from werkzeug.wrappers import Response

from portal.db import get_session
from portal.models import StaffUser, Victim
from portal.models.base import utcnow
from portal.services import access, sessions
from portal.services.access import Principal

log = logging.getLogger(__name__)

SESSION_KEY = "sid"
#: What "sign out and clear" asks the browser to forget about this site.
CLEAR_SITE_DATA = '"cache", "cookies", "storage"'


#: Endpoints that never need to know who is signed in. Quick exit reads the session id
#: itself, so it still leaves when the session store or the database is down.
_NO_SIGN_IN_LOOKUP = frozenset({"static", "public.quick_exit"})


def session_store() -> sessions.SessionStore:
    return current_app.extensions["session_store"]


def load_signed_in() -> None:
    """Before each request: resolve the session id into g.victim or g.staff."""
    g.victim = g.staff = g.auth_session = None
    token = cookie.get(SESSION_KEY)
    if not token or request.endpoint in _NO_SIGN_IN_LOOKUP:
        return
    db = get_session()
    now = utcnow()
    try:
        found = session_store().resolve(db, token, now=now)
    except sessions.SessionStoreUnavailable:
        # Public pages go on as signed out; the sign-in guards answer 503.
        g.sign_in_unavailable = True
        return
    if found is not None and found.kind == "victim":
        g.victim = db.get(Victim, found.principal_id)
        if g.victim is not None:
            g.victim_locale = g.victim.locale
    elif found is not None:
        user = db.get(StaffUser, found.principal_id)
        if user is None or user.disabled_at is not None:
            session_store().revoke(db, token, now=now)
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
    token = session_store().start(
        get_session(), kind=kind, principal_id=principal_id, now=utcnow(), assisted=assisted
    )
    cookie.clear()
    cookie[SESSION_KEY] = token


def sign_out() -> None:
    """End the session server-side and empty the cookie. The caller commits."""
    session_store().revoke(get_session(), cookie.get(SESSION_KEY), now=utcnow())
    cookie.clear()


def sign_out_and_leave(location: str) -> Response:
    """The one way out, for sign-out and quick exit alike: end the session on the
    server, drop the cookie and ask the browser to forget everything about this site.

    Leaving never waits on a store that is down: the cookie still goes, and the session
    on the server ends by itself after its idle limit."""
    try:
        sign_out()
        get_session().commit()
    except (sessions.SessionStoreUnavailable, OperationalError):
        log.warning("sign-out could not reach the session store; leaving anyway")
        cookie.clear()
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
    access.record_refusal(get_session(), current_principal(), subject, request.endpoint)
    abort(status)


def _sign_in_unavailable() -> None:
    if g.get("sign_in_unavailable"):
        abort(503)


def victim_required(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        _sign_in_unavailable()
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
            _sign_in_unavailable()
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
