"""Danger beats every other intent: a phrase list, plus the model's own danger score.

A message such as "he is outside my door and i want to drop the case" is mostly about
withdrawing, so the model ranks withdraw first; the phrase list and a low bar for the
danger probability make sure the victim still gets the 999 advice.
"""

from __future__ import annotations

import re
from pathlib import Path

from .once import once
from .text import fold

PHRASES_FILE = Path(__file__).parent / "data" / "danger.txt"
#: The model's danger probability above which we treat the message as danger.
MODEL_THRESHOLD = 0.3

_NON_WORD = re.compile(r"[^\w']+", re.UNICODE)


def _padded(text: str) -> str:
    return f" {_NON_WORD.sub(' ', fold(text)).strip()} "


@once
def _phrases() -> tuple[str, ...]:
    lines = PHRASES_FILE.read_text(encoding="utf-8").splitlines()
    return tuple(_padded(line) for line in lines if line.strip() and not line.startswith("#"))


def mentions_danger(text: str) -> bool:
    padded = _padded(text)
    return any(phrase in padded for phrase in _phrases())
