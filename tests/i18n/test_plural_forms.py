"""Each catalog's Plural-Forms header is Babel's CLDR table (issue 18, fault 6).

`pybabel init` and every tool that regenerates a header write Babel's table; a catalog
with another order (Arabic had forms 4 and 5 swapped) would have all its plural strings
shown for the wrong numbers after that. For 0..200 the header must pick the same form
index as Babel's rule."""

from __future__ import annotations

from gettext import c2py
from pathlib import Path

import pytest
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

from portal.i18n import DEFAULT_LOCALE, SUPPORTED_LOCALES

ROOT = Path(__file__).resolve().parents[2]
DOMAINS = ("messages", "notifications", "chatbot")
LOCALES = [locale for locale in SUPPORTED_LOCALES if locale != DEFAULT_LOCALE]


def test_babels_table_is_what_pybabel_init_writes_for_arabic():
    assert get_plural("ar").plural_expr == (
        "(n == 0 ? 0 : n == 1 ? 1 : n == 2 ? 2 : n % 100 >= 3 && n % 100 <= 10 ? 3 : "
        "n % 100 >= 11 && n % 100 <= 99 ? 4 : 5)"
    )


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("locale", LOCALES)
def test_plural_forms_header_matches_babels_table(locale, domain):
    catalog = read_po((ROOT / "translations" / locale / "LC_MESSAGES" / f"{domain}.po").open("rb"))
    header = catalog.plural_forms
    expected = get_plural(locale)
    assert catalog.num_plurals == expected.num_plurals, (locale, header)
    ours, babels = c2py(catalog.plural_expr), c2py(expected.plural_expr)
    wrong = [n for n in range(201) if ours(n) != babels(n)]
    assert not wrong, f"{locale}/{domain}: {header} differs from Babel for n in {wrong[:10]}"


def test_arabic_plurals_are_shown_for_the_right_numbers():
    """11 to 99 take the accusative singular ("يومًا"), 100 to 102 the genitive ("يوم")."""
    from babel.support import Translations

    arabic = Translations.load(str(ROOT / "translations"), ["ar"], domain="messages")

    def every(n: int) -> str:
        return arabic.ngettext("Every %(num)d day", "Every %(num)d days", n) % {"num": n}

    assert every(11).endswith("يومًا") and every(99).endswith("يومًا")
    assert every(100).endswith(" يوم") and every(102).endswith(" يوم")
    assert every(3) == "كل 3 أيام" and every(2) == "كل يومين"
