"""A send whose outcome is unknown is settled with the provider, never blindly repeated."""

from datetime import timedelta

from sqlmodel import select

from portal.models import Notification, NotificationStatus
from portal.models.base import utcnow
from portal.providers import TemporaryProviderError
from portal.providers.sms.base import SmsProvider
from portal.services import messaging
from tests.support.dispatch_processes import queue_sms
from tests.support.fake_providers import FakeEmail

LEASE = timedelta(seconds=messaging.CLAIM_SECONDS)


class Provider(SmsProvider):
    """An SMS provider that remembers what it accepted and can be asked about it."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, str, str, object]] = []  # sid, to, body, when
        self.lookup_error: Exception | None = None

    def send_sms(self, *, to, body, reference):
        sid = f"SM{len(self.messages) + 1}"
        self.messages.append((sid, to, body, utcnow()))
        return sid

    def accepted_since(self, *, to, body, since):
        if self.lookup_error:
            raise self.lookup_error
        return [sid for sid, t, b, when in self.messages if (t, b) == (to, body) and when >= since]


def _queue(session, count, *, identical=False):
    """`count` due SMS; with `identical`, all the same discreet text to one number."""
    queue_sms(session.get_bind(), count, identical_every=1 if identical else 0)
    return _rows(session)


def _die_mid_send(session, provider, rows, *, reached_provider):
    """What a dispatcher killed during its provider calls leaves behind: claimed rows,
    marked in doubt, and (for `reached_provider`) the messages already at the provider."""
    now = utcnow()
    messaging.claim_due(session, now=now, limit=10)
    for row in rows:
        session.refresh(row)
        row.in_doubt_since = now
        if row in reached_provider:
            provider.send_sms(to=row.to_address, body=row.body, reference=row.idempotency_key)
    session.commit()
    return now + LEASE + timedelta(seconds=1)  # when the claims have run out


def _rows(session):
    session.expire_all()
    return session.exec(select(Notification).order_by(Notification.id)).all()


def test_a_message_the_provider_accepted_is_recorded_not_sent_again(session):
    rows = _queue(session, 2)
    provider = Provider()
    later = _die_mid_send(session, provider, rows, reached_provider=rows[:1])
    result = messaging.dispatch_due(session, sms=provider, email=FakeEmail(), now=later)
    assert (result.reconciled, result.sent) == (1, 1)
    assert [body for _sid, _to, body, _when in provider.messages] == [row.body for row in rows]
    first, second = _rows(session)
    assert (first.status, first.provider_reference) == (NotificationStatus.SENT, "SM1")
    assert (second.status, second.provider_reference) == (NotificationStatus.SENT, "SM2")
    assert first.in_doubt_since is None and first.claim_token is None


def test_identical_texts_are_matched_one_to_one(session):
    """Discreet messages to one number read the same: one accepted copy settles one row."""
    rows = _queue(session, 3, identical=True)
    provider = Provider()
    later = _die_mid_send(session, provider, rows, reached_provider=rows[:1])
    result = messaging.dispatch_due(session, sms=provider, email=FakeEmail(), now=later)
    assert (result.reconciled, result.sent) == (1, 2)
    assert len(provider.messages) == 3
    assert sorted(row.provider_reference for row in _rows(session)) == ["SM1", "SM2", "SM3"]


def test_when_the_provider_cannot_answer_the_message_waits(session):
    rows = _queue(session, 1)
    provider = Provider()
    later = _die_mid_send(session, provider, rows, reached_provider=rows)
    provider.lookup_error = TemporaryProviderError("Twilio lookup HTTP 503")
    assert messaging.dispatch_due(session, sms=provider, email=FakeEmail(), now=later).retrying == 1
    [row] = _rows(session)
    assert row.status == NotificationStatus.QUEUED and row.in_doubt_since is not None
    provider.lookup_error = None
    much_later = later + timedelta(hours=1)
    assert (
        messaging.dispatch_due(session, sms=provider, email=FakeEmail(), now=much_later).reconciled
        == 1
    )
    assert len(provider.messages) == 1


def test_a_dispatcher_overtaken_after_its_claim_ran_out_sends_nothing(session):
    _queue(session, 2)
    provider = Provider()
    now = utcnow()
    stalled = messaging.claim_due(session, now=now, limit=10, token="a" * 32)
    later = now + LEASE + timedelta(seconds=1)
    assert messaging.dispatch_due(session, sms=provider, email=FakeEmail(), now=later).sent == 2
    # The first dispatcher wakes up and carries on with the rows it had claimed.
    resumed = messaging.send_claimed(
        session, stalled, token="a" * 32, sms=provider, email=FakeEmail(), now=later
    )
    assert (resumed.overtaken, resumed.sent) == (2, 0)
    assert len(provider.messages) == 2
    assert all(row.status == NotificationStatus.SENT for row in _rows(session))
