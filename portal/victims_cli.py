"""`flask victims ...`: subject access exports and erasure requests (both audited)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import click
import sqlalchemy as sa
from flask import current_app, render_template
from flask.cli import AppGroup
from flask_babel import force_locale

from .db import session_scope
from .models import Case, CaseVictim, Victim
from .models.base import utcnow

victims_cli = AppGroup("victims", help="Subject access and erasure, per victim.")

_REASON = click.option("--reason", required=True, help="Why (recorded in the audit trail).")
_VICTIM = click.option(
    "--victim", "victim_id", type=int, help="Which victim, when the case has several."
)


def _victim_of(session, reference: str, victim_id: int | None) -> Victim:
    """The one victim of case REFERENCE meant; exits with a message otherwise."""
    case = session.scalar(sa.select(Case).where(Case.crime_reference == reference))
    if case is None:
        _fail("No case with that crime reference.")
    ids = list(
        session.scalars(sa.select(CaseVictim.victim_id).where(CaseVictim.case_id == case.id))
    )
    if victim_id is None and len(ids) == 1:
        victim_id = ids[0]
    if victim_id not in ids:
        _fail(f"Say which victim with --victim; this case has victims {sorted(ids)}.")
    return session.get(Victim, victim_id)


def _fail(message: str) -> None:
    click.echo(message, err=True)
    sys.exit(1)


@victims_cli.command("export")
@click.argument("reference")
@_VICTIM
@_REASON
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Zip file to write.")
def victims_export(reference: str, victim_id: int | None, reason: str, out: Path | None) -> None:
    """Everything held about the victim of case REFERENCE, as a zip of JSON + HTML."""
    from .services import subject_access

    with session_scope() as session:
        victim = _victim_of(session, reference, victim_id)

        def render(data: dict) -> str:
            with force_locale(victim.locale):
                return render_template("export/subject_access.html", data=data)

        content = subject_access.export(
            session,
            victim.id,
            actor="operator:cli",
            reason=reason,
            render_html=render,
            now=utcnow(),
            verifier_key=current_app.extensions["audit_key"].verifier.text(),
        )
        name = f"subject-access-{re.sub(r'[^A-Za-z0-9]+', '-', reference)}-{victim.id}.zip"
    out = out or Path(name)
    out.write_bytes(content)
    click.echo(f"Wrote {out} ({len(content)} bytes).")


@victims_cli.command("erase")
@click.argument("reference")
@_VICTIM
@_REASON
def victims_erase(reference: str, victim_id: int | None, reason: str) -> None:
    """Erase the personal data of the victim of case REFERENCE, where the law allows."""
    from .services.personal_data import ErasureRefused, erase_victim

    with session_scope() as session:
        victim = _victim_of(session, reference, victim_id)
        try:
            erased = erase_victim(
                session, victim.id, actor="operator:cli", reason=reason, now=utcnow()
            )
        except ErasureRefused as refusal:
            _fail(f"Not erased: {refusal.args[0]}.")
    click.echo(f"Erased the personal data of victim {erased.victim_id} ({erased.cases} cases).")
