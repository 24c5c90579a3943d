"""Victims' pages: sign in with a crime reference and a code, and "My case"."""

from flask import Blueprint

bp = Blueprint("victim", __name__)

from . import my_case, sign_in, withdrawal_confirm  # noqa: E402,F401
