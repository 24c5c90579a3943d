"""Alerts for staff: ids and a kind code only, never anything the victim wrote or was sent."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, select

from portal.models import Case, Role, StaffAlert, StaffUser
from portal.services import access, audit
from portal.services.access import Principal


def raise_alert(session: Session, **fields: Any) -> bool:
    """Add an alert (`fields` as for alert_row) unless one with the same `dedupe_key`
    exists; True when added."""
    return bool(raise_alerts(session, [alert_row(**fields)]))


def alert_row(
    *,
    kind: str,
    staff_id: int | None,
    case_id: int | None,
    victim_id: int | None = None,
    dedupe_key: str | None = None,
    now: datetime,
) -> dict[str, Any]:
    return {
        "kind": kind,
        "staff_id": staff_id,
        "case_id": case_id,
        "victim_id": victim_id,
        "dedupe_key": dedupe_key,
        "created_at": now,
    }


def raise_alerts(session: Session, alerts: list[dict[str, Any]]) -> list[str]:
    """Add many alerts (rows from `alert_row`) in one batched insert, skipping any whose
    `dedupe_key` exists; return the kind of each one added."""
    if not alerts:
        return []
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = StaffAlert.__table__
    statement = (
        insert(table).on_conflict_do_nothing(index_elements=["dedupe_key"]).returning(table.c.kind)
    )
    return list(session.execute(statement, alerts).scalars())


def supervisor_for_area(session: Session, force: str, area: str) -> int | None:
    """The first active supervisor of the force's area, if any (an area's name is unique
    only within its force)."""
    return session.exec(
        select(StaffUser.id)
        .where(
            StaffUser.role == Role.SUPERVISOR,
            StaffUser.force == force,
            StaffUser.area == area,
            StaffUser.disabled_at.is_(None),
        )
        .order_by(StaffUser.id)
        .limit(1)
    ).first()


def _open_for(who: Principal) -> sa.ColumnElement[bool]:
    """`who`'s open alerts, on cases still within their scope (or on no case): an alert
    can never show a crime reference from outside the reader's force and area."""
    in_scope = sa.select(Case.id).where(access.case_scope(who))
    return sa.and_(
        StaffAlert.staff_id == who.id,
        StaffAlert.resolved_at.is_(None),
        sa.or_(StaffAlert.case_id.is_(None), StaffAlert.case_id.in_(in_scope)),
    )


def open_alerts(session: Session, who: Principal) -> list[tuple[StaffAlert, str | None]]:
    """A person's open alerts, newest first, each with its case's crime reference."""
    return list(
        session.execute(
            sa.select(StaffAlert, Case.crime_reference)
            .outerjoin(Case, Case.id == StaffAlert.case_id)
            .where(_open_for(who))
            .order_by(StaffAlert.created_at.desc(), StaffAlert.id.desc())
        ).all()
    )


def open_count(session: Session, who: Principal) -> int:
    return session.scalar(sa.select(sa.func.count()).where(_open_for(who)))


def resolve(session: Session, *, staff_id: int, alert_id: int, now: datetime) -> bool:
    """Mark one of a person's own open alerts done (audited); False when it is not theirs
    or already done."""
    alert = session.get(StaffAlert, alert_id)
    if alert is None or alert.staff_id != staff_id or alert.resolved_at is not None:
        return False
    alert.resolved_at = now
    session.add(alert)
    audit.record(
        session,
        actor=f"staff:{staff_id}",
        action="alert.resolved",
        subject=f"case:{alert.case_id}" if alert.case_id else None,
        details={"alert_id": alert.id, "kind": alert.kind},
    )
    return True
