"""Staff pages: officers, supervisors, ISVAs and admins."""

from flask import Blueprint

from portal.services.case_stages import STAGE_NAMES

from . import labels

bp = Blueprint("staff", __name__, url_prefix="/staff")


@bp.context_processor
def stage_names() -> dict:
    """Stage names, roles and crime categories on staff pages, in the reader's language."""
    return {
        "stage_names": STAGE_NAMES,
        "role_label": labels.role_label,
        "crime_category_label": labels.crime_category_label,
    }


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
