"""Score one short message against a trained linear text model, fast and without
scikit-learn: n-grams, tf x idf, L2 norm per block, then a sum of weight rows."""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np

from .features import FeatureBlock

#: The last message's features per set of blocks: the intent and danger models share
#: their blocks, so one message's n-grams are counted once, not three times.
_last = threading.local()


@dataclass
class LinearTextScorer:
    """scores = features(text) @ weights + intercept, one score per class."""

    blocks: list[FeatureBlock]
    weights: np.ndarray  # features x classes, float32
    intercept: np.ndarray
    classes: list[str]

    def features(self, text: str) -> tuple[list[int], np.ndarray]:
        key = (text, tuple(id(block) for block in self.blocks))
        if getattr(_last, "key", None) == key:
            return _last.features
        columns: list[int] = []
        values: list[float] = []
        offset = 0
        for block in self.blocks:
            c, v = block.features(text, offset)
            columns += c
            values += v
            offset += len(block.columns)
        _last.key, _last.features = key, (columns, np.asarray(values, dtype=np.float32))
        return _last.features

    def scores(self, text: str) -> np.ndarray:
        columns, values = self.features(text)
        if not columns:
            return self.intercept.copy()
        return values @ self.weights[columns] + self.intercept


def softmax(scores: np.ndarray, sharpness: float = 1.0) -> np.ndarray:
    shifted = (scores - scores.max()) * sharpness
    weights = np.exp(shifted)
    return weights / weights.sum()
