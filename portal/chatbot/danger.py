"""Danger first (issue 14): a detector of its own, tuned to miss nothing, asked before
anything else.

Two layers, either one is enough:

1. Phrase rules per language and script (data/danger/<lang>.txt, native script and
   Latin transliteration), grouped by kind. A message matches a phrase when its folded
   text contains it, or, for longer phrases, holds its words in a row with at most one
   typo in each longer word (found through an index of letter trigrams).
2. A separate classifier (danger or not; then, for the kind, self-harm or not) over the
   same n-gram features as the intent model, with its own threshold chosen at training
   time for recall on out-of-fold predictions (training.py). It catches phrasings the
   lists do not know.

A false alarm costs the reader a few seconds; a miss can cost a life. So the bar is low,
and a message with any signal gets the danger answer (with the topics too when the
signal is only the classifier's).
"""

from __future__ import annotations

import math
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from .corpus import DANGER_KINDS
from .once import once
from .text import fold
from .training import trained

RULES_DIR = Path(__file__).parent / "data" / "danger"
#: Phrases at least this long (letters and spaces) also match with a typo or two,
#: unless written with a leading "=" (exact only: a typo would make another phrase).
FUZZY_MIN_LENGTH = 7
#: Share of a long phrase's letter trigrams a message must hold to be checked word by word.
FUZZY_SHARE = 0.6
#: Words longer than this may differ from the phrase's by one letter; words this long
#: only by two neighbouring letters swapped ("live" must not match "give").
TYPO_MIN_LETTERS = 4
#: The classifier names self-harm only when this sure of it.
SELF_HARM_SURE = 0.8
#: Kinds checked first when several match: crisis help for suicidal thoughts comes first.
_KIND_ORDER = ("self_harm", *(k for k in DANGER_KINDS if k != "self_harm"))


@dataclass(frozen=True)
class Signal:
    """kind: one of corpus.DANGER_KINDS; certain: a phrase rule matched (not only the
    classifier); score: the classifier's danger probability."""

    kind: str
    certain: bool
    score: float


def _kept(char: str) -> bool:
    """Letters, digits, apostrophes, hyphens and marks (Indic vowel signs are marks)."""
    return char.isalnum() or char in "'-" or unicodedata.category(char).startswith("M")


def normalise(text: str) -> str:
    """Folded words separated by single spaces, padded with a space at each end."""
    kept = "".join(char if _kept(char) else " " for char in fold(text))
    return f" {' '.join(kept.split())} "


def _trigrams(text: str) -> set[str]:
    return {text[i : i + 3] for i in range(len(text) - 2)}


@dataclass(frozen=True)
class _Rules:
    phrases: tuple[tuple[str, str, bool], ...]  # (padded phrase, kind, exact only)
    index: dict[str, tuple[int, ...]]  # trigram -> long phrases containing it
    sizes: dict[int, int]  # long phrase -> number of trigrams


def parse_rules(source: str, where: str = "rules") -> list[tuple[str, str, bool]]:
    """(phrase, kind, exact only) of one rules file: ``[kind]`` sections, one phrase a
    line, ``=phrase`` for a phrase that must match exactly."""
    found: list[tuple[str, str, bool]] = []
    kind: str | None = None
    for number, raw in enumerate(source.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            kind = line[1:-1]
            if kind not in DANGER_KINDS:
                raise ValueError(f"{where}:{number}: unknown danger kind {kind!r}")
        elif kind is None:
            raise ValueError(f"{where}:{number}: phrase before any [kind]")
        else:
            exact = line.startswith("=")
            found.append((normalise(line.removeprefix("=")), kind, exact))
    return found


@once
def _rules() -> _Rules:
    phrases: list[tuple[str, str, bool]] = []
    for path in sorted(RULES_DIR.glob("*.txt")):
        phrases += parse_rules(path.read_text(encoding="utf-8"), path.name)
    phrases = list(dict.fromkeys(phrases))
    index: dict[str, list[int]] = defaultdict(list)
    sizes: dict[int, int] = {}
    for number, (phrase, _, exact) in enumerate(phrases):
        if not exact and len(phrase.strip()) >= FUZZY_MIN_LENGTH:
            grams = _trigrams(phrase.strip())
            sizes[number] = len(grams)
            for gram in grams:
                index[gram].append(number)
    return _Rules(tuple(phrases), {g: tuple(n) for g, n in index.items()}, sizes)


def rule_kinds(text: str) -> set[str]:
    """The kinds of every phrase rule the message matches, exactly or nearly."""
    rules = _rules()
    padded = normalise(text)
    kinds = {kind for phrase, kind, _ in rules.phrases if phrase in padded}
    hits: dict[int, int] = defaultdict(int)
    for gram in _trigrams(padded.strip()):
        for number in rules.index.get(gram, ()):
            hits[number] += 1
    for number, count in hits.items():
        phrase, kind, _ = rules.phrases[number]
        if kind not in kinds and count >= FUZZY_SHARE * rules.sizes[number]:
            if _nearly_contains(padded, phrase):
                kinds.add(kind)
    return kinds


def _close(word: str, expected: str) -> bool:
    """Equal; or two neighbouring letters swapped ("wnat"); or, for words longer than
    TYPO_MIN_LETTERS, one letter dropped, added or changed ("folowing")."""
    if word == expected:
        return True
    if len(expected) < TYPO_MIN_LETTERS or abs(len(word) - len(expected)) > 1:
        return False
    if len(word) == len(expected):
        diffs = [i for i, (a, b) in enumerate(zip(word, expected, strict=True)) if a != b]
        swapped = (
            len(diffs) == 2
            and diffs[1] == diffs[0] + 1
            and word[diffs[0]] == expected[diffs[1]]
            and word[diffs[1]] == expected[diffs[0]]
        )
        return swapped or (len(diffs) == 1 and len(expected) > TYPO_MIN_LETTERS)
    if len(expected) <= TYPO_MIN_LETTERS:
        return False
    shorter, longer = sorted((word, expected), key=len)
    return any(longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer)))


def _nearly_contains(padded: str, phrase: str) -> bool:
    """Whether the message holds the phrase's words in a row, each equal or one typo away."""
    words, expected = padded.split(), phrase.split()
    for start in range(len(words) - len(expected) + 1):
        if all(_close(w, e) for w, e in zip(words[start:], expected, strict=False)):
            return True
    return False


def _probability(model: str, text: str) -> float:
    score = float(trained()[model].scores(text)[0])
    return 1 / (1 + math.exp(-max(-30.0, min(30.0, score))))


def _classifier(text: str) -> tuple[float, bool]:
    """(probability of danger of any kind, whether it is surely self-harm).

    Unsure of the kind, the emergency answer is the safer one: it gives 999 and 55 and
    the Samaritans' number too, where the crisis answer leaves out 55."""
    folded = fold(text)
    return _probability("danger", folded), _probability("self_harm", folded) >= SELF_HARM_SURE


def threshold() -> float:
    """The classifier's bar, chosen at training time for recall (training.py)."""
    return trained()["thresholds"]["danger"]


def detect(text: str) -> Signal | None:
    """The danger in a message, or None when neither the rules nor the classifier see any."""
    kinds = rule_kinds(text)
    score, self_harm = _classifier(text)
    if kinds:
        kind = next(k for k in _KIND_ORDER if k in kinds)
        return Signal(kind, True, round(score, 3))
    if score >= threshold():
        return Signal("self_harm" if self_harm else "immediate", False, round(score, 3))
    return None
