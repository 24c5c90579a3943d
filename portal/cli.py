"""Flask CLI commands: database, demo data, audit, jobs."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from click_default_group import DefaultGroup
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from .chatbot.commands import chat as ask_chatbot
from .config import PROJECT_ROOT
from .db import session_scope, upgrade

db_cli = AppGroup("db", help="Database migrations.")
demo_cli = AppGroup("demo", help="Demo data for development.")
audit_cli = AppGroup("audit", help="The audit trail: a signed, witnessed transparency log.")
jobs_cli = AppGroup("jobs", help="Scheduled sweeps.")
translations_cli = AppGroup("translations", help="Gettext catalogs, one set per domain.")

#: How each gettext domain is extracted: extra keywords, inputs, and whether the default
#: gettext keywords (and the pyproject.toml mapping) apply. Tests extract with the same rules.
EXTRACTION: dict[str, tuple[tuple[str, ...], tuple[str, ...], bool]] = {
    "messages": (("lazy_gettext", "_l", "N_"), (".",), True),
    "chatbot": (("N_", "_l"), ("portal/chatbot",), True),
    "notifications": (("_notify",), ("portal/services/notification_text.py",), False),
}
staff_cli = AppGroup("staff", help="Staff accounts.")
#: `chat MESSAGE` and `chat --batch FILE` ask the bot (the default "ask" command);
#: `chat stats` prints the anonymous counts.
chat_cli = DefaultGroup(
    "chat",
    help="The chatbot: ask it, or see what it was asked.",
    default="ask",
    default_if_no_args=True,
)
chat_cli.add_command(ask_chatbot, "ask")


@db_cli.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Apply migrations up to REVISION (default: head)."""
    upgrade(current_app.config["DATABASE_URL"], revision)
    click.echo(f"Database at {revision}.")


@demo_cli.command("load")
def demo_load() -> None:
    """Add the demo force, staff and cases (idempotent)."""
    from . import demo

    with session_scope() as session:
        added = demo.load(session)
    click.echo(f"Demo data: added {added['staff']} staff and {added['cases']} cases.")


@demo_cli.command("sign-ins")
def demo_sign_ins() -> None:
    """Print the demo sign-ins."""
    from . import demo

    click.echo(demo.sign_in_help())


@audit_cli.command("verify")
@click.option(
    "--witness",
    "witnesses",
    multiple=True,
    type=click.Path(exists=True),
    help="A witness's checkpoint file or directory (repeat for each); the configured "
    "AUDIT_WITNESS_DIR is always read.",
)
def audit_verify(witnesses: tuple[str, ...]) -> None:
    """Rebuild the Merkle tree from the rows and prove it consistent with every signed
    checkpoint: the database's and the witnesses'."""
    from .services import audit

    key = current_app.extensions["audit_key"].verifier
    locations = [*filter(None, [current_app.config["AUDIT_WITNESS_DIR"]]), *witnesses]
    held = [
        (f"witness {place}", note)
        for place in locations
        for note in audit.witness.read_notes(place)
    ]
    with session_scope() as session:
        report = audit.verify(session, key, held)
    summary = (
        f"{report.checked} entries, {report.checkpoints} checkpoints in the database, "
        f"{report.witnessed} held by witnesses"
    )
    if report.ok:
        click.echo(
            f"Audit log intact: {summary}; the latest signed tree has {report.latest_size}; "
            f"{report.waiting} entries wait for the sequencer (only their own hash covers them)."
        )
        return
    first = report.first
    where = f"entry {first.first_index}" if first.first_index is not None else "a checkpoint"
    click.echo(f"Audit log BROKEN at {where}: {first.message}", err=True)
    for problem in report.problems:
        if problem is not first:
            click.echo(f"  also: {problem.message}", err=True)
    click.echo(f"Checked: {summary}.", err=True)
    sys.exit(1)


@audit_cli.command("sequence")
def audit_sequence() -> None:
    """Sequence every waiting entry now and sign a checkpoint (the scheduler does this
    every second)."""
    from jobs.sweeps import sequence_audit

    click.echo(f"Sequenced {sequence_audit(current_app)} entries.")


@audit_cli.command("prove-consistency")
@click.argument("old_size", type=click.IntRange(min=0))
def audit_prove_consistency(old_size: int) -> None:
    """Print, as JSON, the proof that the latest signed tree extends the tree of
    OLD_SIZE entries, with the latest checkpoint (for tools/verify_audit_proof.py)."""
    import json

    from .services import audit

    with session_scope() as session:
        latest = audit.latest_checkpoint(session)
        if latest is None or old_size > latest.tree_size:
            click.echo("The log has no signed tree that large yet.", err=True)
            sys.exit(1)
        proof = audit.consistency_between(session, old_size, latest.tree_size)
    click.echo(
        json.dumps(
            {
                "old_size": old_size,
                "new_size": latest.tree_size,
                "proof": proof,
                "checkpoint": latest.note,
            },
            indent=2,
        )
    )


@audit_cli.command("new-key")
@click.argument("name")
def audit_new_key(name: str) -> None:
    """Print a new signing key for the log NAME (e.g. victims.example.org/audit), to put
    in the secret store as AUDIT_SIGNING_KEY. It is shown once and stored nowhere."""
    from .services.audit import NoteError, SigningKey

    try:
        click.echo(SigningKey.generate(name).text())
    except NoteError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)


@audit_cli.command("public-key")
def audit_public_key() -> None:
    """Print the verifier key that witnesses and oversight bodies check checkpoints with."""
    click.echo(current_app.extensions["audit_key"].verifier.text())


@jobs_cli.command("run-once")
def jobs_run_once() -> None:
    """Run every sweep once and exit."""
    from jobs import run_once

    for job_id, count in run_once(current_app).items():
        click.echo(f"{job_id}: {count}")


@staff_cli.command("totp")
@click.argument("email")
def staff_totp(email: str) -> None:
    """Print the current TOTP code of an account (development only)."""
    import pyotp

    from .services import accounts

    if not current_app.config["DEV_OUTBOX_ENABLED"]:
        click.echo("This command works only in development.", err=True)
        sys.exit(1)
    with session_scope() as session:
        user = accounts.find_staff(session, email)
        secret = user.totp_secret if user else None
    if not secret:
        click.echo("No account with an authenticator key for that email.", err=True)
        sys.exit(1)
    click.echo(pyotp.TOTP(secret).now())


@chat_cli.command("stats")
@click.option("--days", default=30, show_default=True, help="How many days, today included.")
@with_appcontext
def chat_stats(days: int) -> None:
    """Print the answers counted per day, intent, language and channel (no text is kept)."""
    from .models.base import utcnow
    from .services import chat_counts

    with session_scope() as session:
        totals = chat_counts.totals(session, days=days, now=utcnow())
    click.echo(f"Since {totals.since.isoformat()}: {totals.total} answered.")
    for row in totals.rows:
        day, where = row.day.isoformat(), f"{row.channel:<3}  {row.language:<5}"
        click.echo(f"{day}  {where}  {row.intent:<28}{row.count:>6}")
    for intent, count in totals.by_intent:
        click.echo(f"total  {intent:<28}{count:>6}")


def extract_domain(domain: str, output: Path) -> None:
    """Write the .pot template of `domain` to `output` (run from the project root)."""
    from babel.messages.frontend import CommandLineInterface

    keywords, inputs, defaults = EXTRACTION[domain]
    argv = ["pybabel", "--quiet", "extract", "--no-location", "--omit-header", "--sort-by-file"]
    argv += ["-F", "pyproject.toml"] if domain == "messages" else []
    argv += [] if defaults else ["--no-default-keywords"]
    for keyword in keywords:
        argv += ["-k", keyword]
    CommandLineInterface().run([*argv, "-o", str(output), *inputs])


@translations_cli.command("update")
def translations_update() -> None:
    """Extract every domain and merge new ids into every locale's catalog."""
    from babel.messages.frontend import CommandLineInterface

    from .i18n import DEFAULT_LOCALE, SUPPORTED_LOCALES

    directory = PROJECT_ROOT / "translations"
    for domain in EXTRACTION:
        template = directory / f"{domain}.pot"
        extract_domain(domain, template)
        for locale in SUPPORTED_LOCALES:
            if (
                locale != DEFAULT_LOCALE
                and not (directory / locale / "LC_MESSAGES" / f"{domain}.po").exists()
            ):
                CommandLineInterface().run(
                    [
                        "pybabel",
                        "--quiet",
                        "init",
                        "-D",
                        domain,
                        "-i",
                        str(template),
                        "-d",
                        str(directory),
                        "-l",
                        locale,
                    ]
                )
        CommandLineInterface().run(
            [
                "pybabel",
                "--quiet",
                "update",
                "--no-fuzzy-matching",
                "--ignore-obsolete",
                "-D",
                domain,
                "-i",
                str(template),
                "-d",
                str(directory),
            ]
        )
        click.echo(f"{domain}: extracted and merged")


@translations_cli.command("review-kit")
@click.argument("locale")
@click.option("--output", type=click.Path(path_type=Path), help="Where to write the kit.")
def translations_review_kit(locale: str, output: Path | None) -> None:
    """Write the XLIFF 2.0 review kit of LOCALE (for a professional translator)."""
    from .i18n import DEFAULT_LOCALE, SUPPORTED_LOCALES
    from .review_kit import build_kit

    if locale not in SUPPORTED_LOCALES or locale == DEFAULT_LOCALE:
        raise click.BadParameter(f"not a translated locale: {locale}", param_hint="LOCALE")
    output = output or PROJECT_ROOT / "translations" / "review" / f"{locale}.xlf"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(build_kit(PROJECT_ROOT / "translations", locale))
    click.echo(f"{locale}: review kit written to {output}")


@translations_cli.command("import-review")
@click.argument("kit", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--reviewer", required=True, help="Who reviewed it (name and organisation).")
def translations_import_review(kit: Path, reviewer: str) -> None:
    """Take the units marked reviewed/final in KIT into the catalogs and log the review."""
    from datetime import date

    from .review_kit import import_review

    try:
        result = import_review(
            PROJECT_ROOT / "translations", kit.read_bytes(), reviewer=reviewer, today=date.today()
        )
    except (ValueError, SyntaxError) as error:
        raise click.ClickException(f"cannot read the review kit: {error}") from None
    click.echo(f"{result.locale}: {result.reviewed} units reviewed, {result.changed} changed")


def register_commands(app: Flask) -> None:
    from .api_key_commands import api_keys_cli
    from .victims_cli import victims_cli

    groups = (
        db_cli,
        demo_cli,
        audit_cli,
        jobs_cli,
        staff_cli,
        translations_cli,
        chat_cli,
        victims_cli,
        api_keys_cli,
    )
    for group in groups:
        app.cli.add_command(group)
