"""Development only (registered when DEV_OUTBOX_ENABLED): what victims would receive."""

from flask import Blueprint, render_template
from sqlmodel import select

from portal.db import get_session
from portal.models import OutboxMessage

bp = Blueprint("dev", __name__, url_prefix="/dev")


@bp.get("/outbox")
def outbox() -> str:
    messages = (
        get_session().exec(select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(200)).all()
    )
    return render_template("dev/outbox.html", messages=messages)
