"""What the API answers, as pydantic models: they serialise the responses and describe
them in the OpenAPI document. Nothing here names a victim or holds a message's text or
an address: a police system needs statuses and times, not content."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict

from portal.models import CaseStage, NotificationStatus, Victim, WithdrawalStatus
from portal.services.case_outcome import Closure
from portal.services.case_status import CaseStatus
from portal.services.contact import usable_channels
from portal.services.event_intake import Received
from portal.services.withdrawal_officer import OfficerWithdrawal

Stage = Literal[tuple(stage.value for stage in CaseStage)]
Status = Literal[tuple(status.value for status in NotificationStatus)]
ChannelName = Literal["sms", "email"]
#: Every time in an answer is in UTC, however it was sent, so a replayed answer is
#: byte for byte the first one.
Utc = Annotated[datetime, AfterValidator(lambda value: value.astimezone(UTC))]


class FieldProblem(BaseModel):
    field: str
    message: str


class Problem(BaseModel):
    """Every error: the HTTP status, a stable code, words, and each wrong field."""

    status: int
    error: str
    message: str
    fields: list[FieldProblem] = []


class VictimOut(BaseModel):
    id: int
    locale: str
    #: The channels that may be used now (consent given, no opt-out, reachable).
    channels: list[ChannelName]
    discreet: bool

    @classmethod
    def of(cls, victim: Victim) -> VictimOut:
        return cls(
            id=victim.id,
            locale=victim.locale,
            channels=[str(channel) for channel in usable_channels(victim)],
            discreet=victim.discreet,
        )


class EventOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    type: str
    occurred_at: Utc
    #: The Victims' Code deadline for telling the victims, when the Code sets one.
    tell_by: Utc | None
    victims_told_at: Utc | None
    told_in_time: bool | None
    source: str


class NotificationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    victim_id: int
    event_id: int | None
    template_key: str
    channel: ChannelName
    status: Status
    attempts: int
    created_at: Utc
    not_before: Utc
    sent_at: Utc | None
    delivered_at: Utc | None
    failed_at: Utc | None


class CaseOut(BaseModel):
    crime_reference: str
    force: str
    area: str
    crime_category: str
    domestic_abuse: bool
    sexual_offence: bool
    enhanced_rights: bool
    stage: Stage
    reported_at: Utc
    last_contact_at: Utc | None
    next_update_due_at: Utc | None
    victims: list[VictimOut]
    events: list[EventOut]
    notifications: list[NotificationOut]

    @classmethod
    def of(cls, status: CaseStatus) -> CaseOut:
        case = status.case
        return cls(
            crime_reference=case.crime_reference,
            force=case.force,
            area=case.area,
            crime_category=case.crime_category,
            domestic_abuse=case.domestic_abuse,
            sexual_offence=case.sexual_offence,
            enhanced_rights=case.enhanced_rights,
            stage=case.stage,
            reported_at=case.reported_at,
            last_contact_at=case.last_contact_at,
            next_update_due_at=case.next_update_due_at,
            victims=[VictimOut.of(victim) for victim in status.victims],
            events=[EventOut.model_validate(event) for event in status.events],
            notifications=[NotificationOut.model_validate(row) for row in status.notifications],
        )


class EventAccepted(BaseModel):
    """The answer to an event; a re-sent event (same Idempotency-Key) gets it again."""

    event_id: int
    crime_reference: str
    type: str
    occurred_at: Utc
    tell_by: Utc | None
    notifications_queued: int

    @classmethod
    def of(cls, received: Received) -> EventAccepted:
        event = received.event
        return cls(
            event_id=event.id,
            crime_reference=received.case.crime_reference,
            type=event.type,
            occurred_at=event.occurred_at,
            tell_by=event.tell_by,
            notifications_queued=received.notifications_queued,
        )


class ClosureOut(BaseModel):
    """A closed case; an outcome 14/16 closure names the confirmed withdrawal it rests on."""

    crime_reference: str
    outcome_code: str
    closed_at: Utc
    withdrawal_id: int | None
    withdrawal_content_hash: str | None

    @classmethod
    def of(cls, closure: Closure) -> ClosureOut:
        record = closure.withdrawal
        return cls(
            crime_reference=closure.case.crime_reference,
            outcome_code=closure.code,
            closed_at=closure.case.closed_at,
            withdrawal_id=record.id if record else None,
            withdrawal_content_hash=record.content_hash if record else None,
        )


class WithdrawalOut(BaseModel):
    """An officer-taken withdrawal: sealed, and waiting for the victim's YES or NO."""

    id: int
    crime_reference: str
    victim_id: int
    status: Literal[tuple(status.value for status in WithdrawalStatus)]
    content_hash: str
    confirmation_due_at: Utc
    messages_queued: int

    @classmethod
    def of(cls, recorded: OfficerWithdrawal, crime_reference: str) -> WithdrawalOut:
        request = recorded.request
        return cls(
            id=request.id,
            crime_reference=crime_reference,
            victim_id=request.victim_id,
            status=request.status,
            content_hash=request.content_hash,
            confirmation_due_at=request.confirmation_due_at,
            messages_queued=recorded.queued,
        )
