"""Dispatch: results recorded, temporary errors retried with backoff, permanent ones stop."""

from datetime import timedelta

from sqlmodel import select

from portal.models import Notification, NotificationStatus
from portal.models.base import utcnow
from portal.providers import PermanentProviderError, TemporaryProviderError
from portal.providers.email.base import EmailProvider
from portal.providers.sms.base import SmsProvider
from portal.services import messaging
from tests.support.dispatch_processes import queue_sms


class ScriptedSms(SmsProvider):
    def __init__(self, *outcomes):
        self.outcomes = list(outcomes)
        self.sent = []

    def send_sms(self, *, to, body, reference):
        outcome = self.outcomes.pop(0) if self.outcomes else None
        if isinstance(outcome, Exception):
            raise outcome
        self.sent.append((to, body, reference))
        return f"SM{len(self.sent)}"


class NoEmail(EmailProvider):
    def send_email(self, **_):
        raise AssertionError("no email expected")


def _queue(session, count=1):
    bodies = queue_sms(session.get_bind(), count)
    session.expire_all()
    rows = session.exec(select(Notification).order_by(Notification.id)).all()
    assert [row.body for row in rows] == bodies
    return rows


def test_sends_each_due_message_once(session):
    rows = _queue(session, 3)
    sms = ScriptedSms()
    first = messaging.dispatch_due(session, sms=sms, email=NoEmail())
    second = messaging.dispatch_due(session, sms=sms, email=NoEmail())
    assert (first.sent, second.sent) == (3, 0)
    assert sorted(body for _to, body, _ref in sms.sent) == sorted(row.body for row in rows)


def test_temporary_error_is_retried_later_with_backoff(session):
    [row] = _queue(session)
    sms = ScriptedSms(TemporaryProviderError("busy"))
    now = utcnow()
    assert messaging.dispatch_due(session, sms=sms, email=NoEmail(), now=now).retrying == 1
    session.refresh(row)
    assert row.status == NotificationStatus.QUEUED and row.attempts == 1
    assert row.not_before >= now + timedelta(seconds=29)
    # Not yet due: nothing happens. After the backoff: sent.
    assert messaging.dispatch_due(session, sms=sms, email=NoEmail(), now=now).claimed == 0
    later = now + timedelta(minutes=5)
    assert messaging.dispatch_due(session, sms=sms, email=NoEmail(), now=later).sent == 1


def test_backoff_grows_and_is_bounded():
    delays = [messaging.retry_delay(n).total_seconds() for n in range(1, 12)]
    assert delays[:3] == [30, 60, 120]
    assert delays == sorted(delays) and max(delays) == messaging.RETRY_MAX_SECONDS


def test_permanent_error_stops_at_once(session):
    [row] = _queue(session)
    sms = ScriptedSms(PermanentProviderError("invalid number", code="21211"))
    assert messaging.dispatch_due(session, sms=sms, email=NoEmail()).failed == 1
    session.refresh(row)
    assert row.status == NotificationStatus.FAILED and row.attempts == 1
    later = utcnow() + timedelta(days=1)
    assert messaging.dispatch_due(session, sms=sms, email=NoEmail(), now=later).claimed == 0


def test_claims_held_by_a_crashed_dispatcher_are_picked_up_again(session):
    [row] = _queue(session)
    now = utcnow()
    assert messaging.claim_due(session, now=now, limit=10) == [row.id]  # then "crashes"
    assert messaging.claim_due(session, now=now, limit=10) == []  # still claimed
    expired = now + timedelta(seconds=messaging.CLAIM_SECONDS + 1)
    assert (
        messaging.dispatch_due(session, sms=ScriptedSms(), email=NoEmail(), now=expired).sent == 1
    )
