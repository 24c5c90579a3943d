"""Words staff read for values stored as codes or sent in English by police systems:
roles, crime categories and chatbot topics, in the reader's language (issue 18: no
English, and no internal name, on a page read in another language)."""

from __future__ import annotations

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from portal.chatbot.catalog import translate
from portal.chatbot.texts import TOPIC_LABELS
from portal.models import Role

ROLES = {
    Role.OFFICER: _l("Police officer"),
    Role.SUPERVISOR: _l("Supervisor"),
    Role.ISVA: _l("Independent adviser (ISVA)"),
    Role.ADMIN: _l("Administrator"),
}

#: The crime categories police systems send most, by their English name (any case).
#: A category not listed is shown as sent.
CRIME_CATEGORIES = {
    "domestic abuse: assault": _l("Domestic abuse: assault"),
    "rape": _l("Rape"),
    "burglary": _l("Burglary"),
    "stalking": _l("Stalking"),
    "robbery": _l("Robbery"),
    "sexual assault": _l("Sexual assault"),
    "hate crime": _l("Hate crime"),
    "fraud": _l("Fraud"),
    "criminal damage": _l("Criminal damage"),
    "youth violence": _l("Youth violence"),
}

#: Chatbot intents that are not topics a person can pick.
_OTHER_INTENTS = {
    "greeting": _l("Greetings"),
    "fallback": _l("Questions it could not answer"),
}


def role_label(role: str) -> str:
    return str(ROLES.get(role, role))


def crime_category_label(category: str) -> str:
    label = CRIME_CATEGORIES.get(" ".join(category.split()).casefold())
    return str(label) if label else category


def intent_label(intent: str) -> str:
    """A chatbot intent as the topic name people see in the chat, in the reader's
    language; never the internal name ("case_updates")."""
    if intent in TOPIC_LABELS:
        return translate(str(get_locale() or "en"), TOPIC_LABELS[intent])
    return str(_OTHER_INTENTS.get(intent, intent))
