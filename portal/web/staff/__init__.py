"""Staff pages: officers, supervisors, ISVAs and admins."""

from flask import Blueprint

from portal.services.case_stages import STAGE_NAMES

bp = Blueprint("staff", __name__, url_prefix="/staff")


@bp.context_processor
def stage_names() -> dict:
    """Stage names on staff pages, in the reader's language."""
    return {"stage_names": STAGE_NAMES}


from . import (  # noqa: E402,F401
    admin,
    advocate,
    alerts,
    cases,
    client_withdrawal,
    compliance,
    consent,
    events,
    health,
    sign_in,
    withdrawal_dashboard,
    withdrawals,
)
