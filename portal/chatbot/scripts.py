"""Which writing system a message is in: for many of our languages that settles it."""

from __future__ import annotations

from collections import Counter

#: (first code point, last code point, script name)
_RANGES: tuple[tuple[int, int, str], ...] = (
    (0x0041, 0x024F, "latin"),
    (0x1E00, 0x1EFF, "latin"),
    (0x0370, 0x03FF, "greek"),
    (0x0400, 0x052F, "cyrillic"),
    (0x0590, 0x05FF, "hebrew"),
    (0x0600, 0x06FF, "arabic"),
    (0x0750, 0x077F, "arabic"),
    (0x08A0, 0x08FF, "arabic"),
    (0xFB50, 0xFDFF, "arabic"),
    (0xFE70, 0xFEFF, "arabic"),
    (0x0900, 0x097F, "devanagari"),
    (0x0980, 0x09FF, "bengali"),
    (0x0A00, 0x0A7F, "gurmukhi"),
    (0x0A80, 0x0AFF, "gujarati"),
    (0x0B80, 0x0BFF, "tamil"),
    (0x0C00, 0x0DFF, "other_indic"),
    (0x0E00, 0x0E7F, "thai"),
    (0x10A0, 0x10FF, "georgian"),
    (0x0530, 0x058F, "armenian"),
    (0x1200, 0x137F, "ethiopic"),
    (0x3040, 0x30FF, "kana"),
    (0x3400, 0x9FFF, "han"),
    (0xAC00, 0xD7AF, "hangul"),
)

#: Scripts that name one language, ours or not (ISO 639-1).
SCRIPT_LANGUAGE: dict[str, str] = {
    "gurmukhi": "pa",
    "gujarati": "gu",
    "bengali": "bn",
    "tamil": "ta",
    "devanagari": "hi",
    "greek": "el",
    "hebrew": "he",
    "thai": "th",
    "georgian": "ka",
    "armenian": "hy",
    "ethiopic": "am",
    "kana": "ja",
    "han": "zh",
    "hangul": "ko",
    "other_indic": "te",
}


def script_of(char: str) -> str | None:
    """The script of a letter; None for digits, punctuation, marks and spaces."""
    if not char.isalpha():
        return None
    code = ord(char)
    for first, last, name in _RANGES:
        if first <= code <= last:
            return name
    return None


def dominant_script(text: str) -> str | None:
    """The script of most letters, or None when there are no letters (e.g. "999")."""
    counts = Counter(s for s in map(script_of, text) if s)
    if not counts:
        return None
    if counts.get("kana") and counts.get("han"):
        return "kana"  # Japanese mixes kanji with kana; kana alone proves it.
    return counts.most_common(1)[0][0]
