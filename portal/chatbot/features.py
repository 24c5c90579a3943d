"""Turn a message into n-gram features: our own analyzers, used both to train (in the
training process, through scikit-learn) and to score (in the web worker, without it)."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

_SPACES = re.compile(r"\s\s+")
_WORD = re.compile(r"(?u)\b\w+\b")


def char_ngrams(low: int, high: int) -> Callable[[str], list[str]]:
    """Character n-grams inside word boundaries, like scikit-learn's "char_wb"."""

    def analyse(text: str) -> list[str]:
        grams: list[str] = []
        for word in _SPACES.sub(" ", text).split():
            padded = f" {word} "
            for n in range(low, high + 1):
                if n > len(padded):
                    break
                grams.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
        return grams

    return analyse


def word_ngrams(low: int, high: int) -> Callable[[str], list[str]]:
    def analyse(text: str) -> list[str]:
        tokens = _WORD.findall(text)
        return [
            " ".join(tokens[i : i + n])
            for n in range(low, high + 1)
            for i in range(len(tokens) - n + 1)
        ]

    return analyse


ANALYZERS: dict[str, Callable[[str], list[str]]] = {
    "char_1_4": char_ngrams(1, 4),
    "char_2_5": char_ngrams(2, 5),
    "word_1_2": word_ngrams(1, 2),
}


@dataclass
class FeatureBlock:
    """One fitted vectoriser: n-gram -> column, and how counts become values."""

    analyzer: str
    columns: dict[str, int]
    idf: np.ndarray | None  # None: raw counts
    sublinear: bool
    normalise: bool

    def features(self, text: str, offset: int) -> tuple[list[int], list[float]]:
        analyse = ANALYZERS[self.analyzer]
        counts = Counter(self.columns[g] for g in analyse(text) if g in self.columns)
        columns = list(counts)
        values = [
            (1 + math.log(n) if self.sublinear else float(n))
            * (float(self.idf[c]) if self.idf is not None else 1.0)
            for c, n in counts.items()
        ]
        if self.normalise and values:
            norm = math.sqrt(sum(v * v for v in values))
            values = [v / norm for v in values]
        return [c + offset for c in columns], values
