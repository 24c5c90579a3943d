"""Detect the language of a message, restricted to the languages we speak.

Three layers, cheapest first:

1. The script: Gurmukhi is Punjabi, Gujarati script is Gujarati, and so on; Urdu-only
   letters (ے ں ٹ ڈ ڑ ہ) settle Urdu.
2. A character n-gram model trained on our own corpus. It knows how victims type:
   Polish or Lithuanian without diacritics, romanised Urdu and Punjabi ("mujhe madad
   chahiye", "mainu madad chahidi"), which general-purpose detectors do not.
3. Lingua (its models ship inside the installed wheel; nothing is downloaded), in
   low-accuracy mode to keep memory small, restricted to our languages plus common
   languages we do not speak, so that German or Albanian is recognised as unsupported
   and answered in English with an offer of an interpreter.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import corpus
from .linear import LinearTextScorer, softmax
from .once import once
from .scripts import SCRIPT_LANGUAGE, dominant_script
from .text import fold

#: Base languages of portal.i18n.SUPPORTED_LOCALES.
SUPPORTED_LANGUAGES = frozenset(
    {"en", "cy", "pl", "ro", "pa", "ur", "pt", "es", "ar", "bn", "gu", "it", "ta", "fr",
     "lt", "tr", "fa", "so", "uk"}
)

_URDU_ONLY_LETTERS = frozenset("ٹڈڑںےۓہۃ")
_ARABIC_SCRIPT_LANGUAGES = ("ar", "fa", "ur")

#: Latin-script languages we do not speak but that UK victims may write in.
_UNSUPPORTED_LATIN = ("de", "nl", "sq", "cs", "sk", "hu", "lv", "vi", "tl", "id", "sw", "da",
                      "sv", "hr", "et", "fi")
#: Lingua must clearly prefer an unsupported language, and our own model must be unsure.
_UNSUPPORTED_MIN_LINGUA = 0.6
_UNSUPPORTED_MAX_OURS = 0.6
#: How much the corpus model counts against lingua for Latin script.
_OURS_WEIGHT = 0.6


@dataclass(frozen=True)
class Detection:
    """language: ISO 639-1 code; supported: whether we can answer in it."""

    language: str
    confidence: float

    @property
    def supported(self) -> bool:
        return self.language in SUPPORTED_LANGUAGES


class _CorpusModel:
    """Character n-gram naive Bayes over our corpus; tiny and fast, trained in well under a
    second."""

    def __init__(self) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.naive_bayes import ComplementNB

        examples = corpus.load()
        texts = [fold(e.text) for e in examples]
        labels = [e.language for e in examples]
        vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 4), sublinear_tf=True)
        model = ComplementNB(alpha=0.3).fit(vectorizer.fit_transform(texts), labels)
        self.scorer = LinearTextScorer([vectorizer], model.feature_log_prob_.T,
                                       np.zeros(len(model.classes_)), model.classes_)

    def probabilities(self, text: str, among: tuple[str, ...] | None = None) -> dict[str, float]:
        scores = self.scorer.scores(fold(text))
        classes = self.scorer.classes
        if among is not None:
            keep = [i for i, c in enumerate(classes) if c in among]
            classes = [classes[i] for i in keep]
            scores = scores[keep]
        return dict(zip(classes, softmax(scores).tolist(), strict=True))


_corpus_model = once(_CorpusModel)


@once
def _lingua():
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    codes = (SUPPORTED_LANGUAGES - {"ta", "gu", "bn", "pa"}) | set(_UNSUPPORTED_LATIN) | {"ru",
                                                                                          "bg"}
    languages = [Language.from_iso_code_639_1(getattr(IsoCode639_1, c.upper())) for c in codes]
    return LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()


def _lingua_scores(text: str) -> dict[str, float]:
    return {
        r.language.iso_code_639_1.name.lower(): r.value
        for r in _lingua().compute_language_confidence_values(text)
    }


def _best(scores: dict[str, float]) -> Detection:
    language = max(scores, key=scores.__getitem__)
    return Detection(language, scores[language])


def _cyrillic(text: str) -> Detection:
    if set(text.lower()) & set("іїєґ"):
        return Detection("uk", 1.0)
    scores = _lingua_scores(text)
    return _best({c: scores.get(c, 0.0) for c in ("uk", "ru", "bg")})


def _arabic_script(text: str) -> Detection:
    if set(text) & _URDU_ONLY_LETTERS:
        return Detection("ur", 1.0)
    return _best(_corpus_model().probabilities(text, among=_ARABIC_SCRIPT_LANGUAGES))


def _latin(text: str) -> Detection:
    ours = _corpus_model().probabilities(text)
    theirs = _lingua_scores(text)
    ours_best = max(ours.values())
    foreign = max(_UNSUPPORTED_LATIN, key=lambda c: theirs.get(c, 0.0))
    if theirs.get(foreign, 0.0) >= _UNSUPPORTED_MIN_LINGUA and ours_best < _UNSUPPORTED_MAX_OURS:
        return Detection(foreign, theirs[foreign])
    combined = {
        language: _OURS_WEIGHT * p + (1 - _OURS_WEIGHT) * theirs.get(language, 0.0)
        for language, p in ours.items()
    }
    return _best(combined)


def detect(text: str) -> Detection | None:
    """The language of ``text``, or None when it has no letters at all."""
    script = dominant_script(text)
    if script is None:
        return None
    if script in SCRIPT_LANGUAGE:
        return Detection(SCRIPT_LANGUAGE[script], 1.0)
    if script == "cyrillic":
        return _cyrillic(text)
    if script == "arabic":
        return _arabic_script(text)
    return _latin(text)


def warm_up() -> None:
    """Load both models now (e.g. when a worker starts) rather than on the first message."""
    _corpus_model()
    _lingua().compute_language_confidence_values("warm up")
