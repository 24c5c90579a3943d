"""Victims sign in with their crime reference and a one-time code.

The code message goes through the outbox like every other message, in the top lane
(portal.services.lanes), and the dispatcher sends it: a web request never waits on a
provider. The code itself is never stored in clear, not even in the outbox: it is
derived from the challenge with SECRET_KEY (`code_for`), so only a process holding the
key (the dispatcher, when it renders the message) can know it. The challenge keeps an
HMAC of it.

Nothing here tells the caller whether a reference or a contact exists, and by design
both paths do the same work: one query for the reference's victims, the same hashing,
one challenge and one outbox row. For an unknown reference (or no contact on the chosen
channel) the challenge can never match and the row has no recipient; the dispatcher
cancels it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, select

from portal.models import Case, CaseVictim, NotificationStatus, SignInChallenge, Victim
from portal.services import attempts, audit

from .contact import address_for, insert_notifications
from .lanes import SIGN_IN
from .notification_text import SIGN_IN_CODE

CODE_LIFETIME = timedelta(minutes=10)
MAX_ATTEMPTS = 5


def normalise_reference(text: str | None) -> str:
    return "".join((text or "").split()).upper()


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _code_hash(secret_key: str, token_hash: str, code: str) -> str:
    return hmac.new(secret_key.encode(), f"{token_hash}:{code}".encode(), "sha256").hexdigest()


def code_for(secret_key: str, token_hash: str) -> str:
    """The challenge's six-digit code: unpredictable without SECRET_KEY, never stored."""
    digest = hmac.new(secret_key.encode(), f"sign-in-code:{token_hash}".encode(), "sha256")
    return f"{int.from_bytes(digest.digest()[:8], 'big') % 10**6:06d}"


def _recipient(session: Session, reference: str, channel: str) -> tuple[Victim | None, int | None]:
    """The first victim of the case with a contact point on `channel`, and the case id.

    One query, whether the reference exists or not."""
    rows = session.exec(
        select(Victim, Case.id)
        .join(CaseVictim, CaseVictim.victim_id == Victim.id)
        .join(Case, Case.id == CaseVictim.case_id)
        .where(Case.crime_reference == normalise_reference(reference))
        .order_by(Victim.id)
    ).all()
    return next(((v, case_id) for v, case_id in rows if address_for(v, channel)), (None, None))


def send_code(
    session: Session, *, reference: str, channel: str, secret_key: str, now: datetime
) -> str:
    """Start a sign-in: queue the code message (top lane) and return the challenge token
    (kept by the browser until the code is entered). Known or not, the caller sees the
    same thing and the database gets the same rows, in the caller's transaction."""
    victim, case_id = _recipient(session, reference, channel)
    token = secrets.token_urlsafe(32)
    token_hash = _token_hash(token)
    challenge = SignInChallenge(
        token_hash=token_hash,
        victim_id=victim.id if victim else None,
        case_id=case_id,
        channel=channel,
        code_hash=_code_hash(secret_key, token_hash, code_for(secret_key, token_hash)),
        created_at=now,
        expires_at=now + CODE_LIFETIME,
    )
    session.add(challenge)
    session.flush()
    insert_notifications(session, [_code_row(challenge, victim, now=now)])
    return token


def _code_row(challenge: SignInChallenge, victim: Victim | None, *, now: datetime) -> dict:
    """The outbox row of a code message: no text (rendered at send time), no case (a
    code is not news about the case), and not held for safe hours (the victim asked)."""
    return {
        "victim_id": victim.id if victim else None,
        "case_id": None,
        "event_id": None,
        "channel": challenge.channel,
        "locale": victim.locale if victim else "en",
        "template_key": SIGN_IN_CODE,
        "params": {"challenge_id": challenge.id},
        "discreet": victim.discreet if victim else True,
        "subject": None,
        "body": "",
        "body_html": None,
        "to_address": (address_for(victim, challenge.channel) if victim else None) or "",
        "idempotency_key": f"signin:{challenge.id}",
        "status": NotificationStatus.QUEUED,
        "lane": SIGN_IN,
        "attempts": 0,
        "not_before": now,
        "created_at": now,
    }


def live_challenge(session: Session, challenge_id: int, *, now: datetime) -> SignInChallenge | None:
    """The challenge if its code can still be used (for the dispatcher, at send time)."""
    challenge = session.get(SignInChallenge, challenge_id, populate_existing=True)
    if (
        challenge is None
        or challenge.victim_id is None
        or challenge.used_at is not None
        or challenge.attempts >= MAX_ATTEMPTS
        or now >= challenge.expires_at
    ):
        return None
    return challenge


@dataclass(frozen=True)
class CodeCheck:
    outcome: str  # "ok", "wrong", "expired" or "locked"
    attempts_left: int = 0
    victim_id: int | None = None


def check_code(
    session: Session, *, token: str | None, code: str, secret_key: str, now: datetime
) -> CodeCheck:
    """Check an entered code. Only MAX_ATTEMPTS tries of a challenge are ever checked,
    however many arrive at once (see services.attempts); a code signs in once at most.

    Commits: the try is spent before the code is compared, and the sign-in is recorded
    in the caller's transaction."""
    token_hash = _token_hash(token or "")
    live = (
        SignInChallenge.token_hash == token_hash,
        SignInChallenge.used_at.is_(None),
        SignInChallenge.expires_at > now,
    )
    number = attempts.win(session, SignInChallenge.attempts, MAX_ATTEMPTS, *live) if token else None
    challenge = session.exec(
        select(SignInChallenge)
        .where(SignInChallenge.token_hash == token_hash)
        .execution_options(populate_existing=True)
    ).first()
    if number is None:
        if challenge is None or challenge.used_at is not None or now >= challenge.expires_at:
            return CodeCheck("expired")
        return CodeCheck("locked")
    entered = "".join((code or "").split())
    expected = _code_hash(secret_key, token_hash, entered)
    if hmac.compare_digest(expected, challenge.code_hash) and challenge.victim_id is not None:
        if not _spend(session, challenge.id, now):
            return CodeCheck("expired")  # the same code, entered twice at once
        audit.record(
            session,
            actor=f"victim:{challenge.victim_id}",
            action="victim.sign_in",
            subject=f"victim:{challenge.victim_id}",
            details={"channel": challenge.channel, "case_id": challenge.case_id},
        )
        return CodeCheck("ok", victim_id=challenge.victim_id)
    left = MAX_ATTEMPTS - number
    return CodeCheck("wrong" if left else "locked", attempts_left=left)


def _spend(session: Session, challenge_id: int, now: datetime) -> bool:
    """Mark the challenge used; False when a parallel request already did (one code,
    one sign-in)."""
    spent = session.execute(
        sa.update(SignInChallenge.__table__)
        .where(SignInChallenge.id == challenge_id, SignInChallenge.used_at.is_(None))
        .values(used_at=now)
        .returning(SignInChallenge.__table__.c.id)
    ).first()
    return spent is not None
