"""Staff pages: officers, supervisors, ISVAs and admins."""

from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/staff")

from . import admin, advocate, cases, client_withdrawal, sign_in  # noqa: E402,F401
