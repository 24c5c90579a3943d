"""Train the chatbot's models at build time (``make chatbot-model``) and load them fast.

Three linear models over n-grams of the folded text:

- intents: a linear SVM over character 2-5-grams and word 1-2-grams;
- danger: a separate logistic regression (none / danger / self_harm) over the same
  features, with its own threshold, chosen for recall on out-of-fold predictions;
- languages: multinomial naive Bayes over character 1-4-grams of the corpus, plus a few
  languages we do not speak (data/other_languages/<code>.txt, one message a line).

scikit-learn (with SciPy) adds about 100 MB to a process that imports it, and the web
worker must stay under 250 MB: training runs in its own process
(``python -m portal.chatbot.build``) and writes plain NumPy arrays to one ``.npz``
file (no pickle). Web workers only read that file, once per process. The file records a
fingerprint of the corpus and of this code; when it is missing or stale (a checkout
without ``make``), the first process to need it trains in a child process and writes it.
Training is seeded: the same corpus gives the same model.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import random
import subprocess  # noqa: S404
import sys
import tempfile
from pathlib import Path

import numpy as np

from . import corpus
from .features import ANALYZERS, FeatureBlock
from .linear import LinearTextScorer
from .once import once
from .text import fold

log = logging.getLogger(__name__)

PACKAGE_DIR = Path(__file__).parent
OTHER_LANGUAGES_DIR = PACKAGE_DIR / "data" / "other_languages"
#: The danger phrase rules (danger.py): the danger threshold is chosen with them.
RULES_DIR = PACKAGE_DIR / "data" / "danger"
#: The trained models (built by ``make chatbot-model``; not committed).
MODEL_FILE = PACKAGE_DIR / "data" / "model" / "chatbot-model.npz"
#: Copies of each intent example with a simulated phone typo, to teach tolerance.
TYPO_COPIES = 2
#: SVM regularisation for intents.
SVM_C = 0.5
#: Logistic regression regularisation for danger.
DANGER_C = 10.0
#: Share of danger examples the danger threshold must catch in out-of-fold predictions.
DANGER_RECALL = 0.995
#: Never a bar above this, whatever the folds say: a miss costs more than a false alarm.
DANGER_THRESHOLD_CAP = 0.5
#: ...but no lower than keeps false alarms on other messages (out of fold) under this.
MAX_FALSE_ALARM = 0.03
FOLDS = 5
SEED = 7
_INTENT_BLOCKS = ("char_2_5", "word_1_2")
#: What the model is made from: a change to any of these makes a saved model stale.
_SOURCES = ("corpus.py", "danger.py", "features.py", "text.py", "training.py")


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


def fingerprint() -> str:
    """A hash of the training data and of the code that turns it into a model."""
    digest = hashlib.sha256()
    files = [PACKAGE_DIR / name for name in _SOURCES]
    for folder in (corpus.CORPUS_DIR, OTHER_LANGUAGES_DIR, RULES_DIR):
        files += sorted(folder.glob("*.txt"))
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _block(name: str, vectorizer, tfidf: bool) -> FeatureBlock:
    return FeatureBlock(
        analyzer=name,
        columns=dict(vectorizer.vocabulary_),
        idf=vectorizer.idf_.astype(np.float32) if tfidf else None,
        sublinear=tfidf,
        normalise=tfidf,
    )


def _danger_label(example: corpus.Example) -> str:
    if example.intent != "danger":
        return "none"
    return "self_harm" if example.kind == "self_harm" else "danger"


def _logistic(matrix, labels: np.ndarray, blocks: list[FeatureBlock]) -> LinearTextScorer:
    """A binary logistic regression as a one-column scorer (sigmoid of the score)."""
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=DANGER_C, class_weight="balanced", max_iter=300)
    model.fit(matrix, labels)
    return LinearTextScorer(
        blocks=blocks,
        weights=np.ascontiguousarray(model.coef_.T, dtype=np.float32),
        intercept=model.intercept_.astype(np.float32),
        classes=["danger"],
    )


def _train_danger(matrix, blocks, is_danger: np.ndarray, groups: list[int], texts: list[str]):
    """The danger classifier and its threshold.

    The threshold is chosen on out-of-fold predictions (each example scored by a model
    that never saw it or its typo copies), together with the phrase rules as they run
    in danger.detect: the highest bar at which rules or classifier still catch
    DANGER_RECALL of the danger examples, lowered no further than MAX_FALSE_ALARM of the
    other messages allows.
    """
    from sklearn.model_selection import GroupKFold

    from .danger import rule_kinds

    out_of_fold = np.zeros(len(is_danger))
    for train_rows, test_rows in GroupKFold(n_splits=FOLDS).split(matrix, is_danger, groups):
        scorer = _logistic(matrix[train_rows], is_danger[train_rows], blocks)
        scores = matrix[test_rows] @ scorer.weights[:, 0] + scorer.intercept[0]
        out_of_fold[test_rows] = 1 / (1 + np.exp(-scores))
    by_rule = np.array([bool(rule_kinds(text)) for text in texts])
    threshold = _choose_threshold(out_of_fold, by_rule, is_danger)
    return _logistic(matrix, is_danger, blocks), threshold


def _choose_threshold(scores: np.ndarray, by_rule: np.ndarray, is_danger: np.ndarray) -> dict:
    def caught(bar: float) -> np.ndarray:
        return by_rule | (scores >= bar)

    candidates = np.unique(np.concatenate([scores, [DANGER_THRESHOLD_CAP]]))
    candidates = candidates[candidates <= DANGER_THRESHOLD_CAP][::-1]  # highest first
    chosen = candidates[-1]
    for bar in candidates:
        if caught(bar)[is_danger].mean() >= DANGER_RECALL:
            chosen = bar
            break
    false_alarm_bar = next(
        (bar for bar in candidates[::-1] if caught(bar)[~is_danger].mean() <= MAX_FALSE_ALARM),
        DANGER_THRESHOLD_CAP,
    )
    chosen = max(chosen, false_alarm_bar)
    return {
        "danger": float(chosen),
        "out_of_fold_recall": float(caught(chosen)[is_danger].mean()),
        "out_of_fold_false_alarm": float(caught(chosen)[~is_danger].mean()),
        "rules_alone_recall": float(by_rule[is_danger].mean()),
        "rules_alone_false_alarm": float(by_rule[~is_danger].mean()),
    }


def train() -> dict:
    """Every model and the danger threshold, from the training part of the corpus."""
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    rng = random.Random(SEED)  # noqa: S311 - reproducible typos, not security
    texts: list[str] = []
    intents: list[str] = []
    dangers: list[str] = []
    groups: list[int] = []
    for number, example in enumerate(corpus.load()):
        folded = fold(example.text)
        for text in [folded] + [with_typo(folded, rng) for _ in range(TYPO_COPIES)]:
            texts.append(text)
            intents.append(example.intent)
            dangers.append(_danger_label(example))
            groups.append(number)
    vectorizers = [
        TfidfVectorizer(analyzer=ANALYZERS[n], sublinear_tf=True, dtype=np.float32)
        for n in _INTENT_BLOCKS
    ]
    matrix = hstack([v.fit_transform(texts) for v in vectorizers]).tocsr()
    blocks = [_block(n, v, tfidf=True) for n, v in zip(_INTENT_BLOCKS, vectorizers, strict=True)]

    svm = LinearSVC(C=SVM_C, random_state=SEED).fit(matrix, intents)
    intent_model = LinearTextScorer(
        blocks=blocks,
        weights=np.ascontiguousarray(svm.coef_.T, dtype=np.float32),
        intercept=svm.intercept_.astype(np.float32),
        classes=[str(c) for c in svm.classes_],
    )

    is_danger = np.array([label != "none" for label in dangers])
    danger, threshold = _train_danger(matrix, blocks, is_danger, groups, texts)
    self_harm_rows = np.flatnonzero(is_danger)
    self_harm = _logistic(
        matrix[self_harm_rows],
        np.array([dangers[i] == "self_harm" for i in self_harm_rows]),
        blocks,
    )
    return {
        "intents": intent_model,
        "danger": danger,
        "self_harm": self_harm,
        "languages": train_languages(),
        "thresholds": threshold,
    }


def train_languages() -> LinearTextScorer:
    """Multinomial naive Bayes over character 1-4-grams of our corpus and others."""
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.naive_bayes import MultinomialNB

    # Hinglish is Roman Urdu's twin: it teaches intents and danger, not a language of its
    # own (language.py tells it apart by its Hindi-only words).
    examples = [e for e in corpus.load() if e.language != "hi"]
    texts = [fold(e.text) for e in examples]
    labels = [e.language for e in examples]
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


# --- saving and loading: plain arrays, one .npz file, no pickle --------------------------


def _pack(models: dict, stamp: str) -> dict[str, np.ndarray]:
    arrays: dict[str, np.ndarray] = {}
    blocks: dict[int, str] = {}
    meta: dict = {"fingerprint": stamp, "thresholds": models["thresholds"], "models": {}}
    for name in ("intents", "danger", "self_harm", "languages"):
        model: LinearTextScorer = models[name]
        keys = []
        for block in model.blocks:
            key = blocks.get(id(block))
            if key is None:
                key = blocks[id(block)] = f"block{len(blocks)}"
                vocabulary = sorted(block.columns, key=block.columns.__getitem__)
                arrays[f"{key}.vocabulary"] = np.array(vocabulary, dtype=str)
                if block.idf is not None:
                    arrays[f"{key}.idf"] = block.idf
                meta[key] = {
                    "analyzer": block.analyzer,
                    "sublinear": block.sublinear,
                    "normalise": block.normalise,
                }
            keys.append(key)
        arrays[f"{name}.weights"] = model.weights
        arrays[f"{name}.intercept"] = model.intercept
        meta["models"][name] = {"blocks": keys, "classes": model.classes}
    arrays["meta"] = np.array(json.dumps(meta))
    return arrays


def _unpack(arrays) -> tuple[dict, str]:
    meta = json.loads(str(arrays["meta"]))
    blocks: dict[str, FeatureBlock] = {}
    for key in {k for m in meta["models"].values() for k in m["blocks"]}:
        vocabulary = arrays[f"{key}.vocabulary"].tolist()
        idf_key = f"{key}.idf"
        blocks[key] = FeatureBlock(
            analyzer=meta[key]["analyzer"],
            columns={gram: column for column, gram in enumerate(vocabulary)},
            idf=arrays[idf_key] if idf_key in arrays.files else None,
            sublinear=meta[key]["sublinear"],
            normalise=meta[key]["normalise"],
        )
    models: dict = {"thresholds": meta["thresholds"]}
    for name, spec in meta["models"].items():
        models[name] = LinearTextScorer(
            blocks=[blocks[k] for k in spec["blocks"]],
            weights=arrays[f"{name}.weights"],
            intercept=arrays[f"{name}.intercept"],
            classes=spec["classes"],
        )
    return models, meta["fingerprint"]


def build(path: Path = MODEL_FILE) -> Path:
    """Train and write the model file atomically (``make chatbot-model``)."""
    stamp = fingerprint()
    arrays = _pack(train(), stamp)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, partial = tempfile.mkstemp(dir=path.parent, suffix=".npz")
    with os.fdopen(handle, "wb") as out:
        np.savez(out, **arrays)
    os.chmod(partial, 0o644)  # noqa: S103 - read by every worker; nothing secret
    os.replace(partial, path)
    return path


def load(path: Path = MODEL_FILE) -> dict | None:
    """The saved models, or None when the file is missing or was made from other data."""
    try:
        with np.load(path, allow_pickle=False) as arrays:
            models, stamp = _unpack(arrays)
    except (OSError, KeyError, ValueError):
        return None
    return models if stamp == fingerprint() else None


def _build_in_child(path: Path) -> None:
    project_root = str(PACKAGE_DIR.resolve().parents[1])
    env = dict(
        os.environ,
        PYTHONPATH=os.pathsep.join(p for p in (project_root, os.environ.get("PYTHONPATH")) if p),
    )
    subprocess.run(  # noqa: S603 - our own interpreter and module, no user input
        [sys.executable, "-m", "portal.chatbot.build", str(path)],
        check=True,
        env=env,
        cwd=project_root,
        stdout=subprocess.DEVNULL,
    )


@once
def trained() -> dict:
    """The models, read once per process; trained in a child process first if the model
    file is missing or stale (never scikit-learn in this process)."""
    models = load()
    if models is not None:
        return models
    log.warning("Chatbot model file missing or stale: training it now (run make chatbot-model)")
    path = MODEL_FILE
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _build_in_child(path)
    except (OSError, subprocess.CalledProcessError):
        path = Path(tempfile.gettempdir()) / f"portal-chatbot-model-{os.getpid()}.npz"
        _build_in_child(path)
    models = load(path)
    if models is None:
        raise RuntimeError("the chatbot model could not be built")
    return models
