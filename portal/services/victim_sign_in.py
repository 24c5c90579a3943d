"""Victims sign in with their crime reference and a one-time code.

The code goes straight to the phone or email registered on the case, through the
provider passed in: never through the Notification outbox, because a code must never be
stored in clear. Only an HMAC of it is kept, bound to its challenge.

Nothing here tells the caller whether a reference or a contact exists: an unknown
reference gets a challenge too (whose code can never match), the same hashing work and a
rendered message that is simply not handed to a provider.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import force_locale, gettext
from sqlmodel import Session, select

from portal.i18n import isolate_ltr_text
from portal.models import Case, Channel, SignInChallenge, Victim
from portal.providers import PermanentProviderError, TemporaryProviderError
from portal.providers.email.base import EmailProvider
from portal.providers.sms.base import SmsProvider
from portal.services import access, attempts, audit

log = logging.getLogger(__name__)

CODE_LIFETIME = timedelta(minutes=10)
MAX_ATTEMPTS = 5


def normalise_reference(text: str | None) -> str:
    return "".join((text or "").split()).upper()


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _code_hash(secret_key: str, token_hash: str, code: str) -> str:
    return hmac.new(secret_key.encode(), f"{token_hash}:{code}".encode(), "sha256").hexdigest()


def _recipient(session: Session, case: Case | None, channel: str) -> Victim | None:
    if case is None:
        return None
    for victim in access.victims_of_case(session, case.id):
        if channel == Channel.SMS and victim.phone_e164:
            return victim
        if channel == Channel.EMAIL and victim.email:
            return victim
    return None


def code_message(code: str, *, locale: str, discreet: bool) -> tuple[str, str]:
    """(email subject, text) in the victim's language. Discreet: names nothing at all."""
    shown = isolate_ltr_text(code, locale)
    with force_locale(locale):
        if discreet:
            return gettext("Your code"), gettext(
                "Your code is %(code)s. It expires in 10 minutes.", code=shown
            )
        return gettext("Your sign-in code"), gettext(
            "Your code to see your case on the victim support site is %(code)s. "
            "It expires in 10 minutes. Do not share it with anyone.",
            code=shown,
        )


def send_code(
    session: Session,
    *,
    reference: str,
    channel: str,
    sms_provider: SmsProvider,
    email_provider: EmailProvider,
    secret_key: str,
    now: datetime,
) -> str:
    """Start a sign-in and return the challenge token (kept by the browser until the
    code is entered). Known or not, the caller sees the same thing.

    The challenge is committed before the code is sent: no database transaction stays
    open during a network call (on SQLite it would also lock out the outbox provider)."""
    case = session.exec(
        select(Case).where(Case.crime_reference == normalise_reference(reference))
    ).first()
    victim = _recipient(session, case, channel)
    code = f"{secrets.randbelow(10**6):06d}"
    token = secrets.token_urlsafe(32)
    token_hash = _token_hash(token)
    session.add(
        SignInChallenge(
            token_hash=token_hash,
            victim_id=victim.id if victim else None,
            case_id=case.id if victim else None,
            channel=channel,
            code_hash=_code_hash(secret_key, token_hash, code),
            created_at=now,
            expires_at=now + CODE_LIFETIME,
        )
    )
    session.commit()
    subject, text = code_message(
        code, locale=victim.locale if victim else "en", discreet=victim.discreet if victim else True
    )
    if victim is None:
        return token  # the dummy path: same work, no message
    reference_id = f"signin-{token_hash[:16]}"
    try:
        if channel == Channel.SMS:
            sms_provider.send_sms(to=victim.phone_e164, body=text, reference=reference_id)
        else:
            email_provider.send_email(
                to=victim.email, subject=subject, text=text, html=None, reference=reference_id
            )
    except (TemporaryProviderError, PermanentProviderError) as error:
        log.warning(
            "sign-in code not sent (%s) for challenge %s", type(error).__name__, reference_id
        )
    return token


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
