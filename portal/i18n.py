"""The languages the portal speaks, and how a request is matched to one of them.

Locales carry their dialect where usage differs (pt_PT vs pt_BR, es_ES vs es_419):
victims notice, and Right 1 of the Victims' Code is to understand and be understood.
"""

from __future__ import annotations

from datetime import datetime

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_time

DEFAULT_LOCALE = "en"

#: Every supported locale with its name in its own language and script.
LOCALE_NAMES: dict[str, str] = {
    "en": "English",
    "cy": "Cymraeg",
    "pl": "Polski",
    "ro": "Română",
    "pa": "ਪੰਜਾਬੀ",
    "ur": "اردو",
    "pt_PT": "Português (Portugal)",
    "pt_BR": "Português (Brasil)",
    "es_ES": "Español (España)",
    "es_419": "Español (Latinoamérica)",
    "ar": "العربية",
    "bn": "বাংলা",
    "gu": "ગુજરાતી",
    "it": "Italiano",
    "ta": "தமிழ்",
    "fr": "Français",
    "lt": "Lietuvių",
    "tr": "Türkçe",
    "fa": "فارسی",
    "so": "Soomaali",
    "uk": "Українська",
}

SUPPORTED_LOCALES: tuple[str, ...] = tuple(LOCALE_NAMES)

RTL_LOCALES = frozenset({"ar", "ur", "fa"})

#: When a request names only the language, the dialect we answer in.
DEFAULT_DIALECT = {"pt": "pt_PT", "es": "es_ES"}

#: Regions whose Spanish or Portuguese is the other variant.
_DIALECT_BY_REGION = {
    "pt": {"BR": "pt_BR"},
    "es": {"ES": "es_ES"},
}


def normalise(tag: str | None) -> str | None:
    """Map a BCP-47 tag or POSIX locale ("pt-BR", "es_MX", "AR") to a supported locale.

    Returns None when the language is not one we speak, so the caller can fall back
    and tell the victim.
    """
    if not tag:
        return None
    try:
        parsed = Locale.parse(tag.strip().replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return None
    language, region = parsed.language, parsed.territory
    if language in ("pt", "es"):
        by_region = _DIALECT_BY_REGION[language]
        if region in by_region:
            return by_region[region]
        if region is None:
            return DEFAULT_DIALECT[language]
        return "pt_PT" if language == "pt" else "es_419"
    return language if language in LOCALE_NAMES else None


#: Babel's plain "en" formats dates the American way ("April 1, 2021"); the portal
#: serves England and Wales, so English dates and numbers use British conventions.
_FORMATTING_LOCALE = {"en": "en_GB"}


def formatting_locale(locale: str) -> str:
    """The Babel locale used to format dates and numbers for a supported locale."""
    return _FORMATTING_LOCALE.get(str(locale), str(locale))


def format_date_time(
    local: datetime, locale: str, *, date_format: str = "medium", joined: str = "medium"
) -> str:
    """A date and a time to the minute, as people in `locale` write them. `local` is
    already in the reader's time zone; `joined` picks the locale's pattern for putting
    the two together (e.g. "{1} 'at' {0}" for a long English one)."""
    babel_locale = Locale.parse(formatting_locale(locale))
    day = format_date(local, format=date_format, locale=babel_locale)
    clock = format_time(local, format="short", locale=babel_locale)
    return babel_locale.datetime_formats[joined].format(clock, day).replace("'", "")


def text_direction(locale: str) -> str:
    return "rtl" if str(locale) in RTL_LOCALES else "ltr"


def html_lang(locale: str) -> str:
    """The value for <html lang>: BCP-47 ("pt-BR", "es-419")."""
    return str(locale).replace("_", "-")
