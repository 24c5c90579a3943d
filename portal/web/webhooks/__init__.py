"""Twilio webhooks: delivery status callbacks and inbound SMS.

Every request must carry a valid X-Twilio-Signature for PUBLIC_BASE_URL + path (403
otherwise). Replies are TwiML; nothing here ever shows an error page to Twilio.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from flask import Blueprint, Response, abort, current_app, request
from twilio.request_validator import RequestValidator

from portal.db import get_session
from portal.extensions import csrf
from portal.models.base import utcnow
from portal.services import sms_events, withdrawal_confirmation

bp = Blueprint("webhooks", __name__, url_prefix="/webhooks")
csrf.exempt(bp)


def _twiml(message: str | None = None) -> Response:
    inner = f"<Message>{escape(message)}</Message>" if message else ""
    body = f'<?xml version="1.0" encoding="UTF-8"?><Response>{inner}</Response>'
    return Response(body, mimetype="text/xml")


@bp.before_request
def verify_signature() -> None:
    token = current_app.config["TWILIO_AUTH_TOKEN"]
    full_path = request.full_path if request.query_string else request.path
    url = current_app.config["PUBLIC_BASE_URL"].rstrip("/") + full_path
    signature = request.headers.get("X-Twilio-Signature", "")
    if not token or not RequestValidator(token).validate(url, request.form.to_dict(), signature):
        abort(403)


@bp.post("/twilio/status")
def twilio_status() -> Response:
    reference = request.form.get("MessageSid", "")
    status = request.form.get("MessageStatus", "")
    if reference and status:
        session = get_session()
        sms_events.record_status(
            session,
            provider_reference=reference,
            twilio_status=status,
            error_code=request.form.get("ErrorCode"),
            now=utcnow(),
        )
        session.commit()
    return _twiml()


@bp.post("/twilio/inbound")
def twilio_inbound() -> Response:
    from_number = request.form.get("From", "")
    body = request.form.get("Body", "")[:1600]
    session = get_session()
    word = sms_events.keyword(body)
    if word is not None:
        # Twilio's own opt-out handling answers STOP/START; we only record the consent.
        sms_events.apply_keyword(session, from_number=from_number, word=word, now=utcnow())
        session.commit()
        return _twiml()
    # YES or NO to a withdrawal an officer recorded comes before the chatbot.
    answer = withdrawal_confirmation.answer_by_sms(
        session, from_number=from_number, body=body, now=utcnow()
    )
    if answer is not None:
        session.commit()
        return _twiml(answer)
    answer = sms_events.reply_to_inbound_text(session, from_number=from_number, body=body)
    session.commit()
    return _twiml(answer)
