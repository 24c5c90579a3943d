"""The languages the portal speaks, and how a request is matched to one of them.

Locales carry their dialect where usage differs (pt_PT vs pt_BR, es_ES vs es_419):
victims notice, and Right 1 of the Victims' Code is to understand and be understood.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_time

#: Every time a person reads is UK time.
LONDON = ZoneInfo("Europe/London")


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


@lru_cache(maxsize=64)
def _babel_locale(locale: str) -> Locale:
    return Locale.parse(formatting_locale(locale))


# --- Dates and times: one formatter per kind -------------------------------------------
#
# Every date, date-and-time and time a person reads goes through one of these three, so
# the portal has one style: the locale's CLDR pattern (British for English: "3 January
# 2027", "18:25"), in UK time, to the minute, never with seconds.


def uk_time(value: datetime) -> datetime:
    """`value` in Europe/London. Naive datetimes are UTC (how the database stores them)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(LONDON)


def format_day(value: date | datetime, locale: str) -> str:
    """A date: "3 January 2027" in English, the locale's long date elsewhere. A datetime
    gives its day in UK time."""
    if isinstance(value, datetime):
        value = uk_time(value).date()
    return format_date(value, format="long", locale=_babel_locale(locale))


def format_clock(value: datetime | time, locale: str) -> str:
    """A time of day to the minute: "18:25" in English (24-hour), the locale's short time
    elsewhere. A datetime is read in UK time; a bare time is already UK time."""
    if isinstance(value, datetime):
        value = uk_time(value)
    return format_time(value, format="short", locale=_babel_locale(locale))


def format_day_time(value: datetime, locale: str) -> str:
    """A date and a time in UK time, joined as the locale joins them ("3 January 2027,
    18:25" in English)."""
    babel_locale = _babel_locale(locale)
    local = uk_time(value)
    day = format_date(local.date(), format="long", locale=babel_locale)
    clock = format_time(local, format="short", locale=babel_locale)
    return babel_locale.datetime_formats["long"].format(clock, day).replace("'", "")


# --- Language names ------------------------------------------------------------------


def language_name(code: str, reader: str) -> str:
    """The name of a supported locale in the reader's language, from CLDR ("portugalski
    (Brazylia)" for pt_BR read in Polish): never an English name in another language."""
    try:
        return Locale.parse(code).get_display_name(_babel_locale(reader)) or code
    except (ValueError, UnknownLocaleError):
        return code


@lru_cache(maxsize=1)
def _language_codes_by_name() -> dict[str, str]:
    """CLDR language names, as written in English and in every supported locale, to
    their codes: what someone may type when asked which language they need."""
    index: dict[str, str] = {}
    for reader in (DEFAULT_LOCALE, *SUPPORTED_LOCALES):
        for code, name in _babel_locale(reader).languages.items():
            index.setdefault(name.casefold(), code)
    return index


def typed_language_name(typed: str, reader: str) -> str:
    """A language name someone typed ("Arabic", "arabski", "ar"), in the reader's
    language when CLDR knows it ("العربية" for an Arabic reader); otherwise as typed."""
    text = " ".join(typed.split())
    code = _language_codes_by_name().get(text.casefold())
    if code is None:
        return text
    return _babel_locale(reader).languages.get(code, text)


# --- Direction -----------------------------------------------------------------------


def text_direction(locale: str) -> str:
    """ "rtl" for a locale Babel (CLDR) writes right to left, else "ltr"."""
    try:
        order = Locale.parse(str(locale).replace("-", "_")).character_order
    except (ValueError, UnknownLocaleError):
        return "ltr"
    return "rtl" if order == "right-to-left" else "ltr"


#: The supported locales written right to left (ar, fa, ur today), from CLDR.
RTL_LOCALES = frozenset(code for code in SUPPORTED_LOCALES if text_direction(code) == "rtl")

#: Unicode directional isolates: left-to-right, first-strong, and the closing mark.
LRI, FSI, PDI = "\u2066", "\u2068", "\u2069"


def ltr_isolated(value: object) -> str:
    """A phone number, crime reference, code, email address or URL between LRI and PDI,
    so the bidi algorithm cannot reorder its parts ("08 08 16 89 111" stays in that
    order). For text whose locale is not known yet (a lazy string's parameter)."""
    return f"{LRI}{value}{PDI}"


def isolate_ltr_text(value: object, locale: str) -> str:
    """A left-to-right value for plain text (SMS, email) in `locale`: isolated in a
    right-to-left locale, left alone elsewhere (the marks would cost SMS characters)."""
    text = str(value)
    return ltr_isolated(text) if text and text_direction(locale) == "rtl" else text


def isolate_text(value: object, locale: str) -> str:
    """A value written in the locale's own words (a date) for plain text: wrapped in
    FSI ... PDI in a right-to-left locale, so it keeps its own order inside the sentence."""
    text = str(value)
    return f"{FSI}{text}{PDI}" if text and text_direction(locale) == "rtl" else text


def html_lang(locale: str) -> str:
    """The value for <html lang>: BCP-47 ("pt-BR", "es-419")."""
    return str(locale).replace("_", "-")
