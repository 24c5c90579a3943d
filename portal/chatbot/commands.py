"""The ``chat`` command: talk to the bot from a terminal, or answer a file of messages.

Needs no Flask app; the lead registers it as ``flask --app wsgi chat``.
"""

from __future__ import annotations

import json

import click

from .engine import reply


@click.command("chat")
@click.argument("message", required=False)
@click.option(
    "--batch",
    "batch",
    type=click.File("r", encoding="utf-8"),
    help='JSON lines, each with a "text" field; writes one JSON line per input.',
)
@click.option("--locale", default=None, help="The locale the person chose, e.g. pt_BR.")
def chat(message: str | None, batch, locale: str | None) -> None:
    """Print the bot's reply to MESSAGE, or answer every line of --batch FILE."""
    if batch is None and message is None:
        raise click.UsageError("Give a MESSAGE or --batch FILE.")
    if batch is not None:
        for line in batch:
            if not line.strip():
                continue
            answer = reply(json.loads(line)["text"], locale=locale)
            click.echo(
                json.dumps(
                    {"intent": answer.intent, "language": answer.language, "reply": answer.text},
                    ensure_ascii=False,
                )
            )
        return
    answer = reply(message, locale=locale)
    click.echo(answer.text)
    for topic in answer.topics:
        click.echo(f"  - {topic.label}")
    for action in answer.actions:
        click.echo(f"  [{action.label}]")
    click.echo(f"({answer.intent}, {answer.locale}, confidence {answer.confidence:.2f})")
