"""Match a message to one of the intents of issue 7.

A linear SVM over character n-grams (robust to typos, missing accents and words glued
together) and word n-grams, trained at build time on data/corpus (see training.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .linear import softmax
from .text import fold
from .training import trained

#: How sharply SVM margins turn into a confidence between 0 and 1.
_SHARPNESS = 4.0


@dataclass(frozen=True)
class Ranked:
    intent: str
    probability: float


def rank(text: str) -> list[Ranked]:
    """Intents best first, with a softmax of the margins as a confidence."""
    scorer = trained()["intents"]
    probabilities = softmax(scorer.scores(fold(text)), _SHARPNESS)
    order = np.argsort(-probabilities)
    return [Ranked(scorer.classes[i], float(probabilities[i])) for i in order]
