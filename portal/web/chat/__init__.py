"""The chatbot on the web: a page that works without JavaScript, a JSON endpoint for the
script that enhances it, call-back requests, and the anonymous counts for staff."""

from flask import Blueprint

bp = Blueprint("chat", __name__)

from . import callback, stats, views  # noqa: E402,F401
