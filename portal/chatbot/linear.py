"""Score one short message against a trained linear text model, fast and without
scikit-learn: n-grams, tf x idf, L2 norm per block, then a sum of weight rows."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .features import FeatureBlock


@dataclass
class LinearTextScorer:
    """scores = features(text) @ weights + intercept, one score per class."""

    blocks: list[FeatureBlock]
    weights: np.ndarray  # features x classes, float32
    intercept: np.ndarray
    classes: list[str]

    def scores(self, text: str) -> np.ndarray:
        columns: list[int] = []
        values: list[float] = []
        offset = 0
        for block in self.blocks:
            c, v = block.features(text, offset)
            columns += c
            values += v
            offset += len(block.columns)
        if not columns:
            return self.intercept.copy()
        return np.asarray(values, dtype=np.float32) @ self.weights[columns] + self.intercept


def softmax(scores: np.ndarray, sharpness: float = 1.0) -> np.ndarray:
    shifted = (scores - scores.max()) * sharpness
    weights = np.exp(shifted)
    return weights / weights.sum()
