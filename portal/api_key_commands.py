"""`flask --app wsgi api-keys create NAME` / `revoke NAME` / `list`: keys for police
record systems. A key is printed once, at creation, and never again."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from .db import session_scope
from .models.base import utcnow

api_keys_cli = AppGroup("api-keys", help="API keys for police record systems.")


@api_keys_cli.command("create")
@click.argument("name")
@click.option("--force", "force", default=None, help="Limit the key to this force's cases.")
def create(name: str, force: str | None) -> None:
    """Create a key NAME and print it once."""
    from .services import api_keys

    try:
        with session_scope() as session:
            new = api_keys.create(session, name, force=force, now=utcnow())
    except api_keys.ApiKeyError as error:
        click.echo(f"Not created: {error}.", err=True)
        sys.exit(1)
    scope = f"cases of {new.record.force}" if new.record.force else "cases of every force"
    click.echo(f"API key {name!r} ({scope}). Store it now: it is not shown again.")
    click.echo(new.secret)


@api_keys_cli.command("revoke")
@click.argument("name")
def revoke(name: str) -> None:
    """Revoke the key NAME at once."""
    from .services import api_keys

    try:
        with session_scope() as session:
            api_keys.revoke(session, name, now=utcnow())
    except api_keys.ApiKeyError as error:
        click.echo(f"Not revoked: {error}.", err=True)
        sys.exit(1)
    click.echo(f"API key {name!r} revoked.")


@api_keys_cli.command("list")
def list_keys() -> None:
    """List the keys (names, forces, dates; never the keys)."""
    from .services import api_keys

    with session_scope() as session:
        for key in api_keys.all_keys(session):
            state = f"revoked {key.revoked_at:%Y-%m-%d}" if key.revoked_at else "active"
            click.echo(
                f"{key.name:<30} {key.force or 'every force':<30} "
                f"created {key.created_at:%Y-%m-%d}, {state}"
            )
