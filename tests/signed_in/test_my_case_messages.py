"""My case lists the messages about the case, newest first and a bounded number of them;
sign-in codes are not among them (they are not news, and their text is never kept)."""

from __future__ import annotations

from datetime import timedelta

from portal.models import Notification, NotificationStatus
from portal.models.base import utcnow
from portal.services.sent_messages import SHOWN
from tests.people import sign_in_victim


def test_my_case_lists_case_messages_only_and_not_without_end(client, session, world):
    for _ in range(3):  # asked for a code three times
        client.post("/sign-in", data={"reference": world.case_a.crime_reference, "channel": "sms"})
    now = utcnow()
    session.add_all(
        Notification(
            victim_id=world.victim_a.id,
            case_id=world.case_a.id,
            channel="sms",
            locale="en",
            template_key="general_update",
            params={"text": f"Update {n}"},
            body=f"Update number {n}",
            to_address=world.victim_a.phone_e164,
            idempotency_key=f"update-{n}",
            status=NotificationStatus.SENT,
            created_at=now - timedelta(minutes=n),
        )
        for n in range(SHOWN + 5)
    )
    session.commit()
    sign_in_victim(client, session, world.case_a.crime_reference)
    page = client.get("/my-case").get_data(as_text=True)
    start = page.index('<ul class="messages">')
    messages = page[start : page.index("</ul>", start)]
    assert messages.count("<li>") == SHOWN
    assert "Update number 0<" in messages and f"Update number {SHOWN}<" not in messages
