"""Events pushed by a police record system, received exactly once.

`NewEvent` is one model per event type (from services/events.py), told apart by `type`,
so the OpenAPI document lists each type's own params. `receive` records the event and
queues the victims' messages; a re-sent event with the same Idempotency-Key creates
nothing new and gets the first answer again, while the same key with a different event
is refused (IdempotencyKeyReused), as the IETF Idempotency-Key draft asks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated, Any, Literal, Union

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict, Field, RootModel, ValidationError, create_model
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from portal.models import Case, CaseEvent, Notification

from . import access
from .case_events import record_event
from .case_intake import find_case
from .events import EVENT_TYPES, EventType
from .validation import EventDateTime, InvalidInput, invalid_input

IDEMPOTENCY_KEY_PATTERN = r"^[!-~]{1,100}$"  # visible ASCII, as HTTP headers carry it
#: Clocks differ between systems; an event further in the future than this is refused.
CLOCK_SKEW = timedelta(minutes=10)


class CaseNotFound(Exception):
    """No such case, or one the caller may not change (the two look the same)."""


class IdempotencyKeyReused(Exception):
    """The Idempotency-Key was already used on this case for a different event."""


class IdempotencyKeyBusy(Exception):
    """Another request with the same Idempotency-Key is being processed; retry later."""


class _Envelope(BaseModel):
    model_config = ConfigDict(extra="forbid")

    occurred_at: EventDateTime = Field(
        description="When it happened: ISO 8601 with a time zone, not in the future."
    )


def _model_name(key: str) -> str:
    return "".join(part.title() for part in key.split("_")) + "Event"


def _event_model(event: EventType) -> type[_Envelope]:
    required = any(field.is_required() for field in event.fields.model_fields.values())
    params_default: Any = ... if required else Field(default_factory=event.fields)
    return create_model(
        _model_name(event.key),
        __base__=_Envelope,
        type=(Literal[event.key], ...),
        params=(event.fields, params_default),
    )


_EVENT_MODELS = tuple(_event_model(event) for event in EVENT_TYPES.values())


class NewEvent(RootModel[Annotated[Union[_EVENT_MODELS], Field(discriminator="type")]]):  # noqa: UP007 - a runtime tuple of models
    """An event on a case; `params` depends on `type`."""


def read_new_event(raw: bytes | str) -> _Envelope:
    """The event described by a JSON body, or InvalidInput naming every wrong field."""
    try:
        return NewEvent.model_validate_json(raw, strict=True).root
    except ValidationError as error:
        invalid = invalid_input(error)
    # A tagged union reports under the tag ("charged.params.offence"): the sender wrote
    # "params.offence".
    for problem in invalid.errors:
        tag, _, field = problem["field"].partition(".")
        if tag in EVENT_TYPES and field:
            problem["field"] = field
    raise invalid


@dataclass(frozen=True)
class Received:
    event: CaseEvent
    case: Case
    notifications_queued: int
    #: True when this was a re-sent event: nothing new was created.
    replayed: bool


def _same_event(stored: CaseEvent, event_type: str, params: dict, occurred_at: datetime) -> bool:
    return (
        stored.type == event_type and stored.params == params and stored.occurred_at == occurred_at
    )


def _queued_for(session: Session, event_id: int) -> int:
    table = Notification.__table__
    query = sa.select(sa.func.count()).select_from(table).where(table.c.event_id == event_id)
    return session.execute(query).scalar_one()


def _seen(session: Session, case_id: int, idempotency_key: str) -> CaseEvent | None:
    scoped = f"{case_id}:{idempotency_key}"
    return session.exec(select(CaseEvent).where(CaseEvent.idempotency_key == scoped)).first()


def receive(
    session: Session,
    reference: str,
    new: _Envelope,
    *,
    who: access.Principal,
    idempotency_key: str | None,
    now: datetime,
) -> Received:
    """Record the event on the case with this crime reference, in the caller's transaction.

    Raises CaseNotFound, InvalidInput, IdempotencyKeyReused or IdempotencyKeyBusy.
    """
    case = find_case(session, reference)
    if case is None or not access.may_change_case(session, who, case, action="case_event.record"):
        raise CaseNotFound
    if new.occurred_at > now + CLOCK_SKEW:
        raise InvalidInput([{"field": "occurred_at", "message": "is in the future"}])
    params = new.params.model_dump(mode="json", exclude_none=True)
    try:
        recorded = record_event(
            session,
            case,
            new.type,
            params,
            occurred_at=new.occurred_at,
            actor=who.ref,
            idempotency_key=idempotency_key,
            now=now,
        )
    except IntegrityError:
        # The same key is being recorded by a request that started first.
        session.rollback()
        stored = _seen(session, case.id, idempotency_key) if idempotency_key else None
        if stored is None:
            raise IdempotencyKeyBusy from None
        recorded_event, created = stored, False
    else:
        recorded_event, created = recorded.event, recorded.created
    if not created and not _same_event(recorded_event, new.type, params, new.occurred_at):
        raise IdempotencyKeyReused
    return Received(
        event=recorded_event,
        case=case,
        notifications_queued=_queued_for(session, recorded_event.id),
        replayed=not created,
    )
