"""Translations of the approved texts, from the ``chatbot`` gettext domain.

Catalogs live in the project's ``translations/`` directory; compile them with
``pybabel compile -d translations -D chatbot``. Loaded once per locale per process.
"""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path

from babel.support import NullTranslations, Translations

TRANSLATIONS_DIR = Path(__file__).resolve().parents[2] / "translations"
DOMAIN = "chatbot"

log = logging.getLogger(__name__)


@cache
def translations(locale: str) -> NullTranslations:
    loaded = Translations.load(str(TRANSLATIONS_DIR), [locale], domain=DOMAIN)
    if locale != "en" and not isinstance(loaded, Translations):
        log.warning("No compiled %s catalog for %s; answering in English", DOMAIN, locale)
    return loaded


def translate(locale: str, message: str) -> str:
    return translations(locale).gettext(message)


def compile_catalogs() -> None:
    """Build the .mo files from the .po files, as ``pybabel compile -d translations -D
    chatbot`` does (for tests and benchmarks; make builds them for deployment)."""
    from babel.messages.frontend import CommandLineInterface

    CommandLineInterface().run(
        ["pybabel", "-q", "compile", "-d", str(TRANSLATIONS_DIR), "-D", DOMAIN]
    )
    translations.cache_clear()
