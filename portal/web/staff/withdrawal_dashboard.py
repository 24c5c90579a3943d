"""The supervisor's withdrawal dashboard (their area) and its CSV export.

Admins see every area of their own force, but only after giving a reason, as for any
victim data. Every view and every export is audited, an export always with a reason.
"""

from __future__ import annotations

import csv
import io

from flask import Response, render_template, request
from flask_babel import gettext

from portal.db import get_session
from portal.models import Role
from portal.models.base import utcnow
from portal.services import access, audit, reporting
from portal.services.access import Principal
from portal.services.validation import written
from portal.web.auth import current_principal, staff_required

from . import bp
from .charts import bar_chart
from .withdrawal_labels import labels

#: A spreadsheet would run a cell starting with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _area_of(who: Principal) -> str | None:
    """A supervisor's area ("" when they have none: they see nothing); None for an admin
    (every area of their force)."""
    return (who.area or "") if who.is_staff(Role.SUPERVISOR) else None


def _charts(figures: reporting.WithdrawalFigures) -> list:
    names = labels()

    def named(rows, table):
        return [(table.get(code, code), count) for code, count in rows]

    def chart(chart_id, title, rows):
        description = gettext(
            "Bar chart, %(total)d in all. The same numbers are in the table below.",
            total=sum(count for _label, count in rows),
        )
        return bar_chart(chart_id, title, description, rows)

    return [
        chart(
            "reasons",
            gettext("Withdrawals by reason"),
            named(figures.by_reason, names["reasons"]),
        ),
        chart("categories", gettext("Withdrawals by crime category"), figures.by_category),
        chart("areas", gettext("Withdrawals by area"), figures.by_area),
        chart(
            "time",
            gettext("Withdrawals by time since the report"),
            named(figures.by_time, names["time_buckets"]),
        ),
        chart(
            "asks",
            gettext("Asks for help instead of withdrawing, by outcome"),
            named(figures.asks_by_outcome, names["outcomes"]),
        ),
        chart(
            "closures",
            gettext("Cases closed as “victim does not support” (outcomes 14 and 16)"),
            [
                (gettext("With a confirmed withdrawal record"), figures.closures_with_record),
                (gettext("Without a record"), figures.closures_without_record),
            ],
        ),
    ]


def _figures(who: Principal, action: str, reason: str | None) -> reporting.WithdrawalFigures:
    """The figures `who` may see, with the view or export audited (and committed)."""
    db = get_session()
    area = _area_of(who)
    audit.record(
        db,
        actor=who.ref,
        action=action,
        subject=f"area:{area}" if area is not None else "area:all",
        reason=reason,
        details={"force": who.force},
    )
    figures = reporting.withdrawal_figures(db, scope=access.case_scope(who), area=area)
    db.commit()
    return figures


def _page(who: Principal, *, reason: str | None, errors: dict | None = None, status=200):
    figures = _figures(who, "withdrawal.figures.view", reason)
    page = render_template(
        "staff/withdrawals/dashboard.html",
        figures=figures,
        charts=_charts(figures),
        labels=labels(),
        reason=reason or "",
        errors=errors or {},
    )
    return page, status


def _reason_page(errors: dict | None = None, status: int = 200):
    page = render_template("staff/withdrawals/dashboard_reason.html", errors=errors or {})
    return page, status


@bp.route("/withdrawals/dashboard", methods=["GET", "POST"])
@staff_required(Role.SUPERVISOR, Role.ADMIN)
def withdrawal_dashboard():
    who = current_principal()
    reason = written(request.form.get("reason")) if request.method == "POST" else ""
    if who.is_staff(Role.ADMIN) and not reason:
        if request.method == "GET":
            return _reason_page()
        return _reason_page({"reason": gettext("Say why you need these figures.")}, 400)
    return _page(who, reason=reason or None)


def _cell(value) -> str | int:
    text = value if isinstance(value, int) else str(value or "")
    if isinstance(text, str) and text.startswith(_FORMULA_START):
        return "'" + text
    return text


@bp.post("/withdrawals/dashboard/export")
@staff_required(Role.SUPERVISOR, Role.ADMIN)
def export_withdrawal_figures():
    """The dashboard's figures as CSV (codes, not labels), with the reason audited."""
    who = current_principal()
    reason = written(request.form.get("reason"))
    if not reason:
        errors = {"export_reason": gettext("Say why you are exporting these figures.")}
        if who.is_staff(Role.ADMIN):
            return _reason_page(errors, 400)
        return _page(who, reason=None, errors=errors, status=400)
    figures = _figures(who, "withdrawal.figures.exported", reason)
    area = figures.area
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["area", "section", "item", "count"])
    for section, item, count in figures.rows():
        writer.writerow([_cell(area or "all"), section, _cell(item), count])
    stamp = utcnow().strftime("%Y%m%d")
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="withdrawal-figures-{stamp}.csv"'},
    )
