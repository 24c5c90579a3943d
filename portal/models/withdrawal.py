"""A victim's request to withdraw, with structured reasons; immutable once confirmed."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import JSON, Column, Field, SQLModel

from .base import created_at_field, timestamp_field


class WithdrawalReason(StrEnum):
    """Reason codes from DOMAIN.md; several may apply."""

    MOVE_ON = "move_on"
    RETRAUMATISATION = "retraumatisation"
    FEAR_OF_OFFENDER = "fear_of_offender"
    PRESSURE = "pressure"
    RECONCILED_OR_DEPENDENT = "reconciled_or_dependent"
    PROCESS_TOO_LONG = "process_too_long"
    NO_UPDATES = "no_updates"
    NOT_BELIEVED = "not_believed"
    TOLD_UNLIKELY_TO_SUCCEED = "told_unlikely_to_succeed"
    COURT_FEAR = "court_fear"
    DIGITAL_EVIDENCE_REQUEST = "digital_evidence_request"
    IMMIGRATION_FEAR = "immigration_fear"
    LANGUAGE_BARRIER = "language_barrier"
    FAMILY_COURT_OR_CHILDREN = "family_court_or_children"
    ALTERNATIVE_OUTCOME = "alternative_outcome"
    SAFETY_ACHIEVED = "safety_achieved"
    OTHER = "other"


class WithdrawalStatus(StrEnum):
    """A request's life. DRAFT and SERVICE_RECOVERY are unsealed; every other status is a
    sealed record whose content never changes (only its status moves on)."""

    #: The victim (or their ISVA) is answering the questions; progress is saved.
    DRAFT = "draft"
    #: The victim chose help instead of withdrawing (a ServiceRecoveryRequest exists).
    SERVICE_RECOVERY = "service_recovery"
    #: Sealed: the victim confirmed it (on the web, or by SMS YES to an officer's record).
    CONFIRMED = "confirmed"
    #: Sealed: recorded by an officer, waiting for the victim to answer YES or NO.
    AWAITING_VICTIM = "awaiting_victim"
    #: Sealed and confirmed, and the officer has acknowledged it.
    ACKNOWLEDGED = "acknowledged"
    #: Sealed: the victim said NO to an officer's record, or did not answer in 14 days.
    DISPUTED = "disputed"
    #: Sealed: a new version saying the victim changed their mind within 28 days.
    RESCINDED = "rescinded"


#: Statuses that count as "the victim withdrew" for a Home Office outcome 14/16 closure.
CONFIRMED_STATUSES = (WithdrawalStatus.CONFIRMED, WithdrawalStatus.ACKNOWLEDGED)


class PressureAnswer(StrEnum):
    """Has anyone pressured, threatened or contacted you about the case?"""

    YES = "yes"
    NO = "no"
    PREFER_NOT_TO_SAY = "prefer_not_to_say"


class YesNoNotSure(StrEnum):
    YES = "yes"
    NO = "no"
    NOT_SURE = "not_sure"


class WithdrawalAnswer(StrEnum):
    """Keys of `WithdrawalRequest.answers` (the questions beyond the reasons, DOMAIN.md)."""

    #: PressureAnswer: pressured, threatened or contacted about the case.
    PRESSURE = "pressure"
    #: YesNoNotSure: wants a referral to support now.
    SUPPORT_NOW = "support_now"
    #: YesNoNotSure: content for the police to carry on without their evidence.
    EVIDENCE_LED = "evidence_led"
    #: YesNoNotSure: still wants updates.
    KEEP_UPDATES = "keep_updates"
    #: list of channels ("sms", "email") for updates, when KEEP_UPDATES is yes.
    UPDATE_CHANNELS = "update_channels"
    #: YesNoNotSure: is it safe to contact them.
    SAFE_TO_CONTACT = "safe_to_contact"
    #: str: how and when it is safe (a channel code and "HH:MM-HH:MM"), or absent.
    SAFE_CONTACT_CHANNEL = "safe_contact_channel"
    SAFE_CONTACT_HOURS = "safe_contact_hours"
    #: YesNoNotSure: would like to talk to someone before this is final.
    TALK_FIRST = "talk_first"
    #: str: officer-recorded withdrawals only: the officer's note of what the victim said
    #: (the officer's words, not the victim's own).
    OFFICER_NOTE = "officer_note"


class EvidenceType(StrEnum):
    """Where an officer-recorded withdrawal is evidenced; stored sealed in
    `evidence_reference` as "<code>: <reference>"."""

    STATEMENT = "statement"
    POCKET_NOTEBOOK = "pocket_notebook"
    BODY_WORN_VIDEO = "body_worn_video"


class HelpOffer(StrEnum):
    """What is offered before a victim confirms; choosing one is a service-recovery ask."""

    CALLBACK = "callback"
    SUPPORT_REFERRAL = "support_referral"
    FEWER_UPDATES = "fewer_updates"
    DIFFERENT_UPDATES = "different_updates"
    ANOTHER_OFFICER = "another_officer"
    INTERPRETER = "interpreter"
    SPECIAL_MEASURES = "special_measures"
    PROTECTIVE_ORDERS = "protective_orders"


class FollowUpAction(StrEnum):
    """What an officer records after a withdrawal request or a service-recovery ask."""

    ACKNOWLEDGED = "acknowledged"
    CALLBACK_MADE = "callback_made"
    REFERRAL_MADE = "referral_made"
    OUTCOME = "outcome"
    #: The victim's own words are in another language: a person was asked to translate.
    TRANSLATION_ASKED = "translation_asked"
    #: That translation is now on the file.
    TRANSLATION_ADDED = "translation_added"


class RecoveryOutcome(StrEnum):
    """Where a service-recovery ask ended: did the victim stay in the case?"""

    STAYED = "stayed"
    WITHDREW = "withdrew"
    UNDECIDED = "undecided"


class WithdrawalRequest(SQLModel, table=True):
    """One version of a victim's withdrawal. Once `content_hash` is set (sealed) the content
    columns can no longer change or be deleted: database triggers refuse it (see
    `SEALED_COLUMNS`); corrections and rescinds are new versions."""

    __table_args__ = (sa.UniqueConstraint("case_id", "victim_id", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True)
    victim_id: int = Field(foreign_key="victim.id", index=True)
    #: Corrections and rescinds are new versions; a confirmed version never changes.
    version: int = 1
    supersedes_id: int | None = Field(default=None, foreign_key="withdrawalrequest.id")
    status: str = Field(default=WithdrawalStatus.DRAFT, max_length=20, index=True)
    reasons: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    #: Pressure/coercion, support wanted, evidence-led prosecution, updates, safe contact...
    answers: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    #: The victim's own words, in their own language.
    own_words: str | None = Field(default=None, sa_type=sa.Text)
    locale: str = Field(default="en", max_length=10)
    safeguarding_flag: bool = Field(default=False, index=True)
    #: "victim", "isva:<id>" or "officer:<id>".
    submitted_by: str = Field(default="victim", max_length=40)
    evidence_reference: str | None = Field(default=None, max_length=120)
    status_history: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    content_hash: str | None = Field(default=None, max_length=64)
    #: The step a victim stopped at, so they can come back to it (drafts only).
    current_step: str | None = Field(default=None, max_length=30)
    #: Officer-recorded withdrawals: the victim is asked to confirm by this time (14 days).
    confirmation_due_at: datetime | None = timestamp_field(index=True)
    confirmed_at: datetime | None = timestamp_field()
    acknowledged_at: datetime | None = timestamp_field()
    acknowledged_by_id: int | None = Field(default=None, foreign_key="staffuser.id")
    created_at: datetime = created_at_field()
    updated_at: datetime | None = timestamp_field()


class ServiceRecoveryRequest(SQLModel, table=True):
    """Help a victim asked for instead of (or before) withdrawing: a call back, a support
    referral, different updates... It does not withdraw; the officer must follow it up."""

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True)
    victim_id: int = Field(foreign_key="victim.id", index=True)
    withdrawal_request_id: int | None = Field(default=None, foreign_key="withdrawalrequest.id")
    #: HelpOffer codes; at least one.
    offers: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    #: Anything the victim added, in their own words and language.
    note: str | None = Field(default=None, sa_type=sa.Text)
    locale: str = Field(default="en", max_length=10)
    safeguarding_flag: bool = Field(default=False, index=True)
    #: "victim", "isva:<id>".
    submitted_by: str = Field(default="victim", max_length=40)
    created_at: datetime = created_at_field()
    acknowledged_at: datetime | None = timestamp_field()
    acknowledged_by_id: int | None = Field(default=None, foreign_key="staffuser.id")
    #: RecoveryOutcome once the officer records where it ended.
    outcome: str | None = Field(default=None, max_length=20, index=True)


class WithdrawalFollowUp(SQLModel, table=True):
    """An officer's follow-up on a withdrawal request or a service-recovery ask
    (append-only: acknowledgement, call back made, referral made, outcome)."""

    id: int | None = Field(default=None, primary_key=True)
    withdrawal_request_id: int | None = Field(
        default=None, foreign_key="withdrawalrequest.id", index=True
    )
    service_recovery_id: int | None = Field(
        default=None, foreign_key="servicerecoveryrequest.id", index=True
    )
    staff_id: int = Field(foreign_key="staffuser.id")
    #: FollowUpAction code.
    action: str = Field(max_length=20)
    #: RecoveryOutcome when action is "outcome".
    outcome: str | None = Field(default=None, max_length=20)
    note: str | None = Field(default=None, sa_type=sa.Text)
    created_at: datetime = created_at_field()


#: Columns that never change once a version is sealed (content_hash set).
SEALED_COLUMNS = (
    "case_id", "victim_id", "version", "supersedes_id", "reasons", "answers", "own_words",
    "locale", "safeguarding_flag", "submitted_by", "evidence_reference", "content_hash",
    "confirmed_at", "created_at",
)  # fmt: skip

_REFUSAL = "a sealed withdrawal record cannot be changed or deleted"


def _sqlite_guard() -> list[str]:
    changed = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in SEALED_COLUMNS)
    return [
        "CREATE TRIGGER withdrawal_sealed_no_update BEFORE UPDATE ON withdrawalrequest "
        f"FOR EACH ROW WHEN OLD.content_hash IS NOT NULL AND ({changed}) "
        f"BEGIN SELECT RAISE(ABORT, '{_REFUSAL}'); END",
        "CREATE TRIGGER withdrawal_sealed_no_delete BEFORE DELETE ON withdrawalrequest "
        "FOR EACH ROW WHEN OLD.content_hash IS NOT NULL "
        f"BEGIN SELECT RAISE(ABORT, '{_REFUSAL}'); END",
    ]


def _postgresql_guard() -> list[str]:
    # json has no equality operator, so every column is compared as text.
    changed = " OR ".join(f"NEW.{c}::text IS DISTINCT FROM OLD.{c}::text" for c in SEALED_COLUMNS)
    return [
        "CREATE FUNCTION withdrawal_sealed_guard() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN "
        "IF OLD.content_hash IS NOT NULL AND (TG_OP = 'DELETE' OR " + changed + ") THEN "
        f"RAISE EXCEPTION '{_REFUSAL}' USING ERRCODE = 'integrity_constraint_violation'; "
        "END IF; "
        "IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; "
        "END $$",
        "CREATE TRIGGER withdrawal_sealed_guard BEFORE UPDATE OR DELETE ON withdrawalrequest "
        "FOR EACH ROW EXECUTE FUNCTION withdrawal_sealed_guard()",
    ]


def install_sealed_guard(connection: sa.Connection) -> None:
    """Make sealed versions immutable in the database itself, so no code path (or person
    with SQL access through the app's role) can rewrite what a victim confirmed."""
    statements = _postgresql_guard() if connection.dialect.name == "postgresql" else _sqlite_guard()
    for statement in statements:
        connection.exec_driver_sql(statement)


sa.event.listen(
    WithdrawalRequest.__table__,
    "after_create",
    lambda _table, connection, **_kw: install_sealed_guard(connection),
)
