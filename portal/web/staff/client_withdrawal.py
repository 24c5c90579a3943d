"""An ISVA goes through the withdrawal steps for a client, with the client's consent (an
active AdvocateLink): the victim's own views and templates, in the staff layout, every
step audited as done by the ISVA on the victim's behalf."""

from __future__ import annotations

from portal.models import Role
from portal.services.withdrawal_flow import Acting
from portal.web.auth import current_staff, staff_required
from portal.web.victim.withdrawal import TEMPLATES, Audience, register

from . import bp


def _isva_acting(view_args: dict) -> tuple[Acting, int]:
    victim_id = view_args["victim_id"]
    return Acting.isva(current_staff().id, victim_id), victim_id


ISVA = Audience(
    blueprint="staff",
    prefix="client_withdrawal",
    layout=TEMPLATES + "_layout_isva.html",
    home_endpoint="staff.clients",
    acting=_isva_acting,
)

register(bp, ISVA, rule="/clients/<id:victim_id>", guard=staff_required(Role.ISVA))
