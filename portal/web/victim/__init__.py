"""Victims' pages: sign in with a crime reference and a code, "My case", and the
withdrawal steps."""

from flask import Blueprint

from portal.web.auth import victim_required

bp = Blueprint("victim", __name__)

from . import my_case, sign_in, withdrawal, withdrawal_confirm  # noqa: E402,F401

withdrawal.register(bp, withdrawal.VICTIM, rule="/my-case", guard=victim_required)
