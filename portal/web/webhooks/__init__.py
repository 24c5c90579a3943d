"""Twilio webhooks: delivery status callbacks and inbound SMS.

Every request must carry a valid X-Twilio-Signature for PUBLIC_BASE_URL + path (403
otherwise). What a request does, and that it does it once, is decided in
services/sms_events.py. Replies are TwiML, errors included: Twilio never gets an HTML
page. When the database (or anything else) fails, the answer is an empty TwiML response
with a 503, so Twilio retries or uses the fallback URL; nothing was applied, because the
transaction that claims the request's SID was rolled back with the rest.
"""

from __future__ import annotations

import logging
from xml.sax.saxutils import escape

from flask import Blueprint, Response, abort, current_app, request
from sqlalchemy.exc import OperationalError
from twilio.request_validator import RequestValidator
from werkzeug.exceptions import HTTPException

from portal.db import get_session
from portal.extensions import csrf
from portal.models.base import utcnow
from portal.services import sms_events

from ..errors import RETRY_AFTER_SECONDS

log = logging.getLogger(__name__)

bp = Blueprint("webhooks", __name__, url_prefix="/webhooks")
csrf.exempt(bp)


def _twiml(message: str | None = None, status: int = 200) -> Response:
    inner = f"<Message>{escape(message)}</Message>" if message else ""
    body = f'<?xml version="1.0" encoding="UTF-8"?><Response>{inner}</Response>'
    return Response(body, status=status, mimetype="text/xml")


@bp.errorhandler(HTTPException)
def http_error(error: HTTPException) -> Response:
    return _twiml(status=error.code or 500)


@bp.errorhandler(Exception)
def unavailable(error: Exception) -> Response:
    """The database or another service failed: ask Twilio to come back later."""
    if isinstance(error, OperationalError):
        log.warning("database unavailable: webhook not processed")
    else:
        log.exception("webhook not processed: %s", type(error).__name__)
    response = _twiml(status=503)
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


@bp.before_request
def verify_signature() -> None:
    token = current_app.config["TWILIO_AUTH_TOKEN"]
    full_path = request.full_path if request.query_string else request.path
    url = current_app.config["PUBLIC_BASE_URL"].rstrip("/") + full_path
    signature = request.headers.get("X-Twilio-Signature", "")
    if not token or not RequestValidator(token).validate(url, request.form.to_dict(), signature):
        abort(403)


def _message_sid() -> str:
    return request.form.get("MessageSid") or request.form.get("SmsSid", "")


@bp.post("/twilio/status")
def twilio_status() -> Response:
    status = request.form.get("MessageStatus") or request.form.get("SmsStatus", "")
    session = get_session()
    sms_events.record_status(
        session,
        provider_reference=_message_sid(),
        twilio_status=status,
        error_code=request.form.get("ErrorCode"),
        now=utcnow(),
    )
    session.commit()
    return _twiml()


@bp.post("/twilio/inbound")
def twilio_inbound() -> Response:
    session = get_session()
    answer = sms_events.receive_text(
        session,
        message_sid=_message_sid(),
        from_number=request.form.get("From", ""),
        body=request.form.get("Body", "")[:1600],
        now=utcnow(),
    )
    session.commit()
    return _twiml(answer)
