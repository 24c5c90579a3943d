import pytest

from portal.chatbot.catalog import compile_catalogs


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogs():
    """The .mo files are not committed; build them once per test session."""
    compile_catalogs()
