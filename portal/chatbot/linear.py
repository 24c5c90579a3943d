"""Score one short message against a trained linear text model, fast.

scikit-learn is used to train, but calling its ``transform``/``predict`` for one
message costs milliseconds of validation and sparse-matrix building. Messages are short,
so we do the same arithmetic directly: n-grams from the vectorizer's own analyzer,
sublinear tf x idf, L2 norm per vectorizer, then a sum of weight rows.
"""

from __future__ import annotations

import math
from collections import Counter

import numpy as np


class _Block:
    """One fitted TfidfVectorizer (or CountVectorizer when idf is None)."""

    def __init__(self, vectorizer, offset: int) -> None:
        self.analyze = vectorizer.build_analyzer()
        self.columns = {term: offset + col for term, col in vectorizer.vocabulary_.items()}
        self.idf = getattr(vectorizer, "idf_", None)
        self.offset = offset
        self.sublinear = getattr(vectorizer, "sublinear_tf", False)
        self.normalise = getattr(vectorizer, "norm", None) == "l2"

    def features(self, text: str) -> tuple[list[int], list[float]]:
        counts = Counter(self.columns[t] for t in self.analyze(text) if t in self.columns)
        columns = list(counts)
        values = [
            (1 + math.log(n) if self.sublinear else float(n))
            * (self.idf[c - self.offset] if self.idf is not None else 1.0)
            for c, n in counts.items()
        ]
        if self.normalise and values:
            norm = math.sqrt(sum(v * v for v in values))
            values = [v / norm for v in values]
        return columns, values


class LinearTextScorer:
    """scores = features(text) @ weights + intercept, one score per class."""

    def __init__(self, vectorizers, weights: np.ndarray, intercept: np.ndarray, classes) -> None:
        self.blocks: list[_Block] = []
        offset = 0
        for vectorizer in vectorizers:
            self.blocks.append(_Block(vectorizer, offset))
            offset += len(vectorizer.vocabulary_)
        self.weights = np.ascontiguousarray(weights, dtype=np.float32)  # features x classes
        self.intercept = np.asarray(intercept, dtype=np.float32)
        self.classes = [str(c) for c in classes]

    def scores(self, text: str) -> np.ndarray:
        columns: list[int] = []
        values: list[float] = []
        for block in self.blocks:
            c, v = block.features(text)
            columns += c
            values += v
        if not columns:
            return self.intercept.copy()
        return np.asarray(values, dtype=np.float32) @ self.weights[columns] + self.intercept


def softmax(scores: np.ndarray, sharpness: float = 1.0) -> np.ndarray:
    shifted = (scores - scores.max()) * sharpness
    weights = np.exp(shifted)
    return weights / weights.sum()
