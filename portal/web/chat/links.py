"""Where each of the bot's actions takes the reader: a real route of the portal."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app, url_for

from portal.chatbot import Action

#: The withdrawal flow lives in the victim blueprint; until it is registered we link to
#: its path, so the chat never points at a missing endpoint name.
WITHDRAWAL_ENDPOINT = "victim.withdrawal_start"
WITHDRAWAL_PATH = "/my-case/withdrawal"


def withdrawal_url() -> str:
    if WITHDRAWAL_ENDPOINT in current_app.view_functions:
        return url_for(WITHDRAWAL_ENDPOINT)
    return WITHDRAWAL_PATH


_HREFS: dict[str, Callable[[Action], str]] = {
    "rights_page": lambda action: url_for("rights.right", number=action.target),
    "rights_index": lambda _: url_for("rights.index"),
    "sign_in": lambda _: url_for("victim.sign_in"),
    "case_status": lambda _: url_for("victim.my_case"),
    "callback": lambda _: url_for("chat.callback"),
    "withdraw": lambda _: withdrawal_url(),
    "change_contact": lambda _: url_for("victim.my_case", _anchor="preferences"),
    "interpreter": lambda _: url_for("rights.interpreter_form"),
    "emergency": lambda action: f"tel:{action.target}",
    "topics": lambda _: url_for("chat.page", topics="all", _anchor="topics"),
}


@dataclass(frozen=True)
class Link:
    kind: str
    label: str
    href: str


def link_for(action: Action) -> Link:
    return Link(action.kind, action.label, _HREFS[action.kind](action))
