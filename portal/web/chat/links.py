"""Where each of the bot's actions takes the reader: a real route of the portal."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import url_for

from portal.chatbot import Action

_HREFS: dict[str, Callable[[Action], str]] = {
    "rights_page": lambda action: url_for("rights.right", number=action.target),
    "rights_index": lambda _: url_for("rights.index"),
    "sign_in": lambda _: url_for("victim.sign_in"),
    "case_status": lambda _: url_for("victim.my_case"),
    "callback": lambda _: url_for("chat.callback"),
    "withdraw": lambda _: url_for("victim.withdrawal_start"),
    "change_contact": lambda _: url_for("victim.my_case", _anchor="preferences"),
    "interpreter": lambda _: url_for("rights.interpreter_form"),
    "emergency": lambda action: f"tel:{action.target}",
    "samaritans": lambda action: f"tel:{action.target}",
    "helpline": lambda action: f"tel:{action.target}",
    "topics": lambda _: url_for("chat.page", topics="all", _anchor="topics"),
}


@dataclass(frozen=True)
class Link:
    kind: str
    label: str
    href: str


def link_for(action: Action) -> Link:
    return Link(action.kind, action.label, _HREFS[action.kind](action))
