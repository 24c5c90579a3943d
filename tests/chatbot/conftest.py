import pytest
from babel.messages.frontend import CommandLineInterface

from portal.chatbot.catalog import DOMAIN, TRANSLATIONS_DIR, translations


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogs():
    """The same as ``pybabel compile -d translations -D chatbot`` (the .mo are not committed)."""
    CommandLineInterface().run(
        ["pybabel", "-q", "compile", "-d", str(TRANSLATIONS_DIR), "-D", DOMAIN]
    )
    translations.cache_clear()
