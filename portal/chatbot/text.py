"""Text normalisation shared by language detection and intent matching.

People type on phones without accents ("zglosic" for "zgłosić"), so both the training
corpus and incoming messages are folded the same way before intent matching.
"""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"\w+", re.UNICODE)
_SPACES = re.compile(r"\s+")
#: Latin letters that do not decompose into a base letter plus an accent.
_LATIN_EXTRA = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ß": "ss", "ı": "i", "æ": "ae", "’": "'", "‘": "'", "ـ": None}
)
#: Arabic-script short vowels and other marks: most people do not type them.
_ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670\u06d6-\u06ed]")
#: Arabic-script alef with hamza or madda, typed as a plain alef by many.
_ALEF = re.compile("[\u0622\u0623\u0625]")


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def fold(text: str) -> str:
    """Lower-case, drop accents from Latin letters only, and squeeze spaces.

    Combining marks after non-Latin letters are kept: in Indic scripts they are vowels.
    Arabic-script short vowels are dropped and hamza-carrying alefs made plain alefs.
    """
    text = _ALEF.sub("\u0627", _ARABIC_MARKS.sub("", text))
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(_LATIN_EXTRA))
    kept: list[str] = []
    previous_is_latin = False
    for char in decomposed:
        if unicodedata.combining(char):
            if previous_is_latin:
                continue
        else:
            previous_is_latin = char.isascii() and char.isalpha()
        kept.append(char)
    return _SPACES.sub(" ", unicodedata.normalize("NFC", "".join(kept))).strip()
