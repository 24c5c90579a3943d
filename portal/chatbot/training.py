"""Train the intent and language models, in a short-lived child process.

scikit-learn (with SciPy) adds about 100 MB to a process that imports it. The web
worker must stay under 250 MB, so training runs in a child process
(``python -m portal.chatbot.training``) that sends back plain NumPy arrays and
dictionaries; the worker scores messages with them and never imports scikit-learn.
Training takes a couple of seconds, once per worker process, at first use.
"""

from __future__ import annotations

import os
import pickle  # noqa: S403 - only ever loads what our own child process wrote
import random
import subprocess  # noqa: S404
import sys
from pathlib import Path

import numpy as np

from . import corpus
from .features import FeatureBlock
from .linear import LinearTextScorer
from .once import once
from .text import fold

OTHER_LANGUAGES_DIR = Path(__file__).parent / "data" / "other_languages"
#: Copies of each intent example with a simulated phone typo, to teach tolerance.
TYPO_COPIES = 2
#: SVM regularisation for intents.
SVM_C = 0.5


def with_typo(text: str, rng: random.Random) -> str:
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


def _block(name: str, vectorizer, tfidf: bool) -> FeatureBlock:
    return FeatureBlock(
        analyzer=name,
        columns=dict(vectorizer.vocabulary_),
        idf=vectorizer.idf_.astype(np.float32) if tfidf else None,
        sublinear=tfidf,
        normalise=tfidf,
    )


def train_intents() -> LinearTextScorer:
    """A linear SVM over character 2-5-grams and word 1-2-grams of every language."""
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    from .features import ANALYZERS

    rng = random.Random(7)  # noqa: S311 - reproducible typos, not security
    texts: list[str] = []
    labels: list[str] = []
    for example in corpus.load():
        folded = fold(example.text)
        for text in [folded] + [with_typo(folded, rng) for _ in range(TYPO_COPIES)]:
            texts.append(text)
            labels.append(example.intent)
    names = ("char_2_5", "word_1_2")
    vectorizers = [TfidfVectorizer(analyzer=ANALYZERS[n], sublinear_tf=True) for n in names]
    matrix = hstack([v.fit_transform(texts) for v in vectorizers]).tocsr()
    svm = LinearSVC(C=SVM_C).fit(matrix, labels)
    return LinearTextScorer(
        blocks=[_block(n, v, tfidf=True) for n, v in zip(names, vectorizers, strict=True)],
        weights=np.ascontiguousarray(svm.coef_.T, dtype=np.float32),
        intercept=svm.intercept_.astype(np.float32),
        classes=[str(c) for c in svm.classes_],
    )


def train_languages() -> LinearTextScorer:
    """Multinomial naive Bayes over character 1-4-grams of our corpus, plus a few
    languages we do not speak (data/other_languages/<code>.txt, one message a line)."""
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.naive_bayes import MultinomialNB

    from .features import ANALYZERS

    texts = [fold(e.text) for e in corpus.load()]
    labels = [e.language for e in corpus.load()]
    for path in sorted(OTHER_LANGUAGES_DIR.glob("*.txt")):
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line]
        texts += [fold(line) for line in lines]
        labels += [path.stem] * len(lines)
    vectorizer = CountVectorizer(analyzer=ANALYZERS["char_1_4"])
    model = MultinomialNB(alpha=0.1).fit(vectorizer.fit_transform(texts), labels)
    return LinearTextScorer(
        blocks=[_block("char_1_4", vectorizer, tfidf=False)],
        weights=np.ascontiguousarray(model.feature_log_prob_.T, dtype=np.float32),
        intercept=model.class_log_prior_.astype(np.float32),
        classes=[str(c) for c in model.classes_],
    )


@once
def trained() -> dict[str, LinearTextScorer]:
    """Both models, trained in a child process once per process."""
    project_root = str(Path(__file__).resolve().parents[2])
    env = dict(
        os.environ,
        PYTHONPATH=os.pathsep.join(p for p in (project_root, os.environ.get("PYTHONPATH")) if p),
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter and module, no user input
        [sys.executable, "-m", "portal.chatbot.training"],
        capture_output=True,
        check=True,
        env=env,
        cwd=project_root,
    )
    return pickle.loads(result.stdout)  # noqa: S301 - written by our own child process


if __name__ == "__main__":
    pickle.dump({"intents": train_intents(), "languages": train_languages()}, sys.stdout.buffer)
