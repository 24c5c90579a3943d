"""ISVA dashboard and acting on a client's behalf (audited as ISVA for victim)."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from portal.db import get_session
from portal.i18n import SUPPORTED_LOCALES
from portal.models import Role
from portal.services import access, preferences, withdrawal
from portal.web.auth import current_principal, staff_required
from portal.web.victim.my_case import parse_preferences

from . import bp, withdrawal_labels


@bp.get("/clients")
@staff_required(Role.ISVA)
def clients() -> str:
    db = get_session()
    who = current_principal()
    cases = access.cases_for(db, who)
    clients = access.clients_of(db, who)
    newest = withdrawal.newest_of(
        db, [case.id for case in cases], [client.id for client in clients]
    )
    rows = [
        {"case": case, "withdrawals": [record for record in newest if record.case_id == case.id]}
        for case in cases
    ]
    page = render_template(
        "staff/clients.html", clients=clients, rows=rows, labels=withdrawal_labels.labels()
    )
    db.commit()  # the audited views of the clients' records
    return page


def _client_page(victim, errors=None, status=200):
    page = render_template(
        "staff/client_preferences.html",
        victim=victim,
        errors=errors or {},
        frequencies=preferences.UPDATE_FREQUENCIES,
        locales=SUPPORTED_LOCALES,
    )
    return page, status


@bp.get("/clients/<id:victim_id>/preferences")
@staff_required(Role.ISVA)
def client_preferences(victim_id: int):
    db = get_session()
    victim = access.open_victim(
        db, current_principal(), victim_id, on_behalf_of=f"victim:{victim_id}"
    )
    db.commit()
    if victim is None:
        abort(404)
    return _client_page(victim)


@bp.post("/clients/<id:victim_id>/preferences")
@staff_required(Role.ISVA)
def save_client_preferences(victim_id: int) -> Response:
    db = get_session()
    who = current_principal()
    on_behalf = f"victim:{victim_id}"
    victim = access.open_victim(
        db, who, victim_id, action="victim.preferences.view", on_behalf_of=on_behalf
    )
    if victim is None:
        db.commit()
        abort(404)
    wanted, errors = parse_preferences(request.form, victim)
    if errors:
        db.commit()
        return _client_page(victim, errors, 400)
    preferences.change(db, victim, wanted, actor=who.ref, on_behalf_of=on_behalf)
    db.commit()
    return redirect(url_for("staff.clients"), code=303)
