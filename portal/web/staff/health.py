"""The staff health page: how far the audit log's sequencer is behind, and what its
signed and witnessed checkpoints cover (the honest window of docs/audit.md)."""

from __future__ import annotations

from flask import current_app, render_template

from portal.db import get_session
from portal.models import Role
from portal.models.base import utcnow
from portal.services import audit
from portal.web.auth import staff_required

from . import bp


def audit_witness() -> dict:
    """The arguments every audit status needs from the configuration."""
    return {
        "key": current_app.extensions["audit_key"].verifier,
        "witness_dir": current_app.config["AUDIT_WITNESS_DIR"] or None,
    }


@bp.get("/health")
@staff_required(Role.SUPERVISOR, Role.ADMIN)
def health() -> str:
    status = audit.log_health(
        get_session(),
        now=utcnow(),
        limit_seconds=current_app.config["AUDIT_LAG_ALERT_SECONDS"],
        **audit_witness(),
    )
    return render_template("staff/health.html", audit_log=status)
