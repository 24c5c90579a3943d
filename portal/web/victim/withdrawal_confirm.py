"""Confirming, in "My case", a withdrawal an officer recorded: Yes, or No if it is wrong.

The section shows only while such a record waits for this victim's answer; the same
answer can come by SMS reply (services/withdrawal_confirmation.py).
"""

from __future__ import annotations

from flask import abort, redirect, request, url_for
from werkzeug.wrappers import Response

from portal.db import get_session
from portal.models.base import utcnow
from portal.services import access, withdrawal_confirmation
from portal.services.withdrawal_confirmation import WebAnswer
from portal.web.auth import current_principal, current_victim, victim_required

from . import bp


@bp.post("/my-case/withdrawal/<id:withdrawal_id>/answer")
@victim_required
def answer_withdrawal(withdrawal_id: int) -> Response:
    db = get_session()
    choice = request.form.get("answer")
    if choice not in ("yes", "no"):
        return redirect(url_for("victim.my_case", answer="missing") + "#confirm", code=303)
    result = withdrawal_confirmation.answer_on_web(
        db, current_victim().id, withdrawal_id, yes=choice == "yes", now=utcnow()
    )
    if result == WebAnswer.NOT_THEIRS:
        access.record_refusal(
            db, current_principal(), f"withdrawal:{withdrawal_id}", "withdrawal.answer"
        )
        db.commit()
        abort(404)
    db.commit()
    if result == WebAnswer.ALREADY_ANSWERED:
        return redirect(url_for("victim.my_case", answered="before") + "#confirm", code=303)
    return redirect(url_for("victim.my_case", answered=choice) + "#confirm", code=303)
