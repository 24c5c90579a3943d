"""Staff pages: officers, supervisors, ISVAs and admins."""

from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/staff")

from . import admin, advocate, cases, sign_in, withdrawal_dashboard, withdrawals  # noqa: E402,F401
