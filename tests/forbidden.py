"""Words a discreet message or page title must never contain, per locale: police, crime,
court, victim, the portal's name and offence words (tests/data/discreet_forbidden)."""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

FORBIDDEN_DIR = Path(__file__).resolve().parent / "data" / "discreet_forbidden"


@cache
def forbidden_words(locale: str) -> tuple[str, ...]:
    """The English words (for every locale) and the locale's own stems."""
    words = []
    for name in ("en", locale):
        lines = (FORBIDDEN_DIR / f"{name}.txt").read_text(encoding="utf-8").splitlines()
        words += [unicodedata.normalize("NFC", line.strip()) for line in lines if line.strip()]
    return tuple(dict.fromkeys(words))


def forbidden_in(text: str, locale: str) -> list[str]:
    """The forbidden words found in `text` (case-insensitive, as stems)."""
    text = unicodedata.normalize("NFC", text)
    return [w for w in forbidden_words(locale) if re.search(re.escape(w), text, re.IGNORECASE)]
