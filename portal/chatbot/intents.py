"""Match a message to one of the intents of issue 7.

A linear model over character n-grams (robust to typos, missing accents and words
glued together) and word n-grams, trained once per process on data/corpus. Training
takes a couple of seconds; see bench/chatbot.py.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np
from scipy.sparse import hstack

from . import corpus
from .linear import LinearTextScorer, softmax
from .once import once
from .text import fold

#: Copies of each example with a simulated phone typo, to teach tolerance.
_TYPO_COPIES = 2
#: SVM regularisation, and how sharply margins turn into a confidence between 0 and 1.
_C = 0.5
_SHARPNESS = 4.0


@dataclass(frozen=True)
class Ranked:
    intent: str
    probability: float


def _with_typo(text: str, rng: random.Random) -> str:
    """Drop, double or swap one letter, the way thumbs on a small screen do."""
    positions = [i for i, c in enumerate(text) if c.isalpha()]
    if len(positions) < 4:
        return text
    i = rng.choice(positions[1:-1])
    kind = rng.randrange(3)
    if kind == 0:
        return text[:i] + text[i + 1 :]
    if kind == 1:
        return text[:i] + text[i] + text[i:]
    return text[: i - 1] + text[i] + text[i - 1] + text[i + 1 :]


class IntentModel:
    def __init__(self) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.svm import LinearSVC

        rng = random.Random(7)  # noqa: S311 - reproducible typos, not security
        texts: list[str] = []
        labels: list[str] = []
        for example in corpus.load():
            folded = fold(example.text)
            texts.append(folded)
            labels.append(example.intent)
            for _ in range(_TYPO_COPIES):
                texts.append(_with_typo(folded, rng))
                labels.append(example.intent)
        vectorizers = [
            TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True),
            TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True,
                            token_pattern=r"(?u)\b\w+\b"),  # noqa: S106
        ]
        matrix = hstack([v.fit_transform(texts) for v in vectorizers]).tocsr()
        svm = LinearSVC(C=_C).fit(matrix, labels)
        self.scorer = LinearTextScorer(vectorizers, svm.coef_.T, svm.intercept_, svm.classes_)

    def rank(self, text: str) -> list[Ranked]:
        """Intents best first, with a softmax of the margins as a confidence."""
        probabilities = softmax(self.scorer.scores(fold(text)), _SHARPNESS)
        order = np.argsort(-probabilities)
        return [Ranked(self.scorer.classes[i], float(probabilities[i])) for i in order]


model = once(IntentModel)
