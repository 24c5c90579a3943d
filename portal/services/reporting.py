"""Withdrawal figures for supervisors and oversight, computed by the database.

Every figure comes from SQL aggregates (COUNT ... GROUP BY), the same on SQLite and
PostgreSQL: no record is loaded into Python to be counted, only grouped counts, whose
number depends on the areas, categories and codes, not on how many cases there are.

What is counted:
- a withdrawal is a victim's newest sealed record on a case that stands (confirmed or
  acknowledged): not one waiting for the victim's answer, disputed or taken back;
- time since report runs from the case's report to the moment the withdrawal was sealed:
  same day (under 24 hours), within 4 weeks (up to 28 days), 4 to 12 weeks (up to 84
  days), over 12 weeks;
- service-recovery asks by where they ended, and how many victims stayed;
- closures with outcome 14 or 16, with and without a linked withdrawal record.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session

from portal.models import (
    CONFIRMED_STATUSES,
    Case,
    RecoveryOutcome,
    ServiceRecoveryRequest,
    WithdrawalRequest,
)

from . import withdrawal
from .case_outcome import VICTIM_DOES_NOT_SUPPORT

SAME_DAY, WITHIN_4_WEEKS, WEEKS_4_TO_12, OVER_12_WEEKS = (
    "same_day",
    "within_4_weeks",
    "4_to_12_weeks",
    "over_12_weeks",
)
TIME_BUCKETS = (SAME_DAY, WITHIN_4_WEEKS, WEEKS_4_TO_12, OVER_12_WEEKS)
#: An ask without an outcome yet.
OPEN = "open"

Counts = list[tuple[str, int]]


@dataclass(frozen=True)
class WithdrawalFigures:
    #: The area counted, or None for every area.
    area: str | None
    withdrawals: int
    by_reason: Counts
    by_category: Counts
    by_area: Counts
    #: Every bucket of TIME_BUCKETS in order, zeros included.
    by_time: Counts
    #: Newest sealed records by status (awaiting the victim, disputed, rescinded...).
    by_status: Counts
    asks: int
    #: RecoveryOutcome codes and OPEN.
    asks_by_outcome: Counts
    victims_stayed: int
    closures_with_record: int
    closures_without_record: int

    def rows(self) -> list[tuple[str, str, int]]:
        """(section, label code, count) for every figure, as exported to CSV."""
        rows = [("withdrawals", "total", self.withdrawals)]
        for section in ("by_reason", "by_category", "by_area", "by_time", "by_status"):
            rows += [(section, label, count) for label, count in getattr(self, section)]
        rows.append(("service_recovery", "asks", self.asks))
        rows += [("service_recovery", label, count) for label, count in self.asks_by_outcome]
        rows.append(("service_recovery", "victims_stayed", self.victims_stayed))
        rows.append(("closures_14_16", "with_record", self.closures_with_record))
        rows.append(("closures_14_16", "without_record", self.closures_without_record))
        return rows


Scope = sa.ColumnElement[bool]


def _in_area(area: str | None, scope: Scope) -> sa.ColumnElement[bool]:
    """The cases counted: of the reader's scope (access.case_scope), in `area` if given."""
    return sa.and_(scope, Case.area == area if area is not None else sa.true())


def _sealed_latest(in_area: sa.ColumnElement[bool]) -> sa.Select:
    """FROM each victim's newest sealed record on a case JOIN the case, in the area."""
    return (
        sa.select()
        .select_from(WithdrawalRequest)
        .join(Case, Case.id == WithdrawalRequest.case_id)
        .where(
            in_area,
            WithdrawalRequest.content_hash.is_not(None),
            withdrawal.newest_sealed(),
        )
    )


def _grouped(session: Session, query: sa.Select, key) -> Counts:
    rows = session.execute(
        query.add_columns(key.label("key"), sa.func.count().label("n"))
        .group_by(key)
        .order_by(sa.func.count().desc(), key)
    ).all()
    return [(label, count) for label, count in rows]


def _reason_values(dialect: str):
    """The reason codes of a row as a table: one row per code in the JSON list."""
    if dialect == "postgresql":
        return sa.func.json_array_elements_text(WithdrawalRequest.reasons).table_valued("value")
    return sa.func.json_each(WithdrawalRequest.reasons).table_valued("value")


def _time_band(dialect: str) -> sa.ColumnElement[str]:
    sealed, reported = WithdrawalRequest.confirmed_at, Case.reported_at
    if dialect == "postgresql":
        days = sa.extract("epoch", sealed - reported) / 86400
    else:
        days = sa.func.julianday(sealed) - sa.func.julianday(reported)
    return sa.case(
        (days < 1, SAME_DAY),
        (days <= 28, WITHIN_4_WEEKS),
        (days <= 84, WEEKS_4_TO_12),
        else_=OVER_12_WEEKS,
    )


def _totals(groups, position: int, order=None) -> Counts:
    """Add up grouped counts by one of their keys (most first, or in `order`)."""
    totals: dict[str, int] = {}
    for group in groups:
        totals[group[position]] = totals.get(group[position], 0) + group[-1]
    if order is not None:
        return [(key, totals.get(key, 0)) for key in order]
    return sorted(totals.items(), key=lambda item: (-item[1], item[0]))


def withdrawal_figures(
    session: Session, *, scope: Scope, area: str | None = None
) -> WithdrawalFigures:
    """Every figure of the dashboard among the cases of `scope` (the reader's
    `access.case_scope`), for one area (None: all areas of the scope).

    The newest sealed records are counted once, grouped by status, area, crime category
    and time band (a few hundred groups at most); the per-figure totals add those groups
    up. Reasons, asks and closures are counted by their own grouped queries.
    """
    dialect = session.get_bind().dialect.name
    in_area = _in_area(area, scope)
    # Grouped outside a subquery, so PostgreSQL sees one column for the time band rather
    # than two copies of the CASE with different bound parameters.
    sealed = (
        _sealed_latest(in_area)
        .add_columns(
            WithdrawalRequest.status.label("status"),
            Case.area.label("area"),
            Case.crime_category.label("category"),
            _time_band(dialect).label("band"),
        )
        .subquery()
    )
    columns = (sealed.c.status, sealed.c.area, sealed.c.category, sealed.c.band)
    groups = session.execute(sa.select(*columns, sa.func.count()).group_by(*columns)).all()
    standing = [group for group in groups if group[0] in CONFIRMED_STATUSES]

    reasons = _reason_values(dialect)
    in_force = _sealed_latest(in_area).where(WithdrawalRequest.status.in_(CONFIRMED_STATUSES))
    asks = (
        sa.select()
        .select_from(ServiceRecoveryRequest)
        .join(Case, Case.id == ServiceRecoveryRequest.case_id)
        .where(in_area)
    )
    asks_by_outcome = [
        (label or OPEN, count)
        for label, count in _grouped(session, asks, ServiceRecoveryRequest.outcome)
    ]
    stayed = session.execute(
        asks.add_columns(sa.func.count(sa.distinct(ServiceRecoveryRequest.victim_id))).where(
            ServiceRecoveryRequest.outcome == RecoveryOutcome.STAYED
        )
    ).scalar_one()
    closures_total, closures_linked = session.execute(
        sa.select(sa.func.count(), sa.func.count(Case.closing_withdrawal_id)).where(
            in_area,
            Case.closed_at.is_not(None),
            Case.outcome_code.in_(sorted(VICTIM_DOES_NOT_SUPPORT)),
        )
    ).one()
    return WithdrawalFigures(
        area=area,
        withdrawals=sum(group[-1] for group in standing),
        by_reason=_grouped(session, in_force.join(reasons, sa.true()), reasons.c.value),
        by_category=_totals(standing, 2),
        by_area=_totals(standing, 1),
        by_time=_totals(standing, 3, order=TIME_BUCKETS),
        by_status=_totals(groups, 0),
        asks=sum(count for _label, count in asks_by_outcome),
        asks_by_outcome=asks_by_outcome,
        victims_stayed=stayed,
        closures_with_record=closures_linked,
        closures_without_record=closures_total - closures_linked,
    )
