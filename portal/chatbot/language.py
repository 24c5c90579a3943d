"""Detect the language of a message, restricted to the languages we speak.

Three layers, cheapest first:

1. The script: Gurmukhi is Punjabi, Gujarati script is Gujarati, and so on; Urdu-only
   letters (ے ں ٹ ڈ ڑ ہ) settle Urdu; Ukrainian is our only Cyrillic language.
2. A naive Bayes model over character n-grams of our own corpus (plus a few languages
   we do not speak). It knows how victims type: Polish or Lithuanian without
   diacritics, romanised Urdu and Punjabi ("mujhe madad chahiye", "mainu madad
   chahidi"), which general-purpose detectors do not.
3. When our model is unsure about Latin-script text, lingua (its models ship inside the
   installed wheel; nothing is downloaded; low-accuracy mode keeps memory small) may
   recognise, with high confidence, a language we do not speak, so that the victim is
   answered in English with an offer of an interpreter.
"""

from __future__ import annotations

from dataclasses import dataclass

from .linear import softmax
from .once import once
from .scripts import SCRIPT_LANGUAGE, dominant_script
from .text import fold, words
from .training import trained

#: Base languages of portal.i18n.SUPPORTED_LOCALES.
SUPPORTED_LANGUAGES = frozenset(
    {
        "en",
        "cy",
        "pl",
        "ro",
        "pa",
        "ur",
        "pt",
        "es",
        "ar",
        "bn",
        "gu",
        "it",
        "ta",
        "fr",
        "lt",
        "tr",
        "fa",
        "so",
        "uk",
    }
)

#: Our languages with a script of their own, often typed in Latin letters all the same.
OWN_SCRIPT_LANGUAGES = frozenset({"ur", "pa", "ar", "bn", "gu", "ta", "fa", "uk"})

_URDU_ONLY_LETTERS = frozenset("ٹڈڑںےۓہۃ")
_ARABIC_SCRIPT_LANGUAGES = ("ar", "fa", "ur")

_SUPPORTED_LATIN = ("en", "cy", "pl", "ro", "pt", "es", "it", "fr", "lt", "tr", "so")
#: Latin-script languages we do not speak but that UK victims may write in, for lingua.
_UNSUPPORTED_LATIN = (
    "de",
    "nl",
    "sq",
    "cs",
    "sk",
    "hu",
    "vi",
    "tl",
    "hr",
    "sv",
    "da",
    "id",
    "sw",
    "et",
    "fi",
    "lv",
)
#: When our model is this unsure, a very confident lingua may say "not one of ours".
_OURS_UNSURE = 0.5
#: Log-likelihood margin per letter under which two languages are a close call.
CLOSE_MARGIN = 0.2
_LINGUA_SURE = 0.9


@dataclass(frozen=True)
class Detection:
    """language: ISO 639-1 code; certain: settled by the script or letters, not a guess."""

    language: str
    confidence: float
    certain: bool = False
    #: A close call between two languages (see CLOSE_MARGIN): a guess to hedge.
    close: bool = False

    @property
    def supported(self) -> bool:
        return self.language in SUPPORTED_LANGUAGES


def _probabilities(text: str, among: tuple[str, ...] | None = None) -> dict[str, float]:
    """Our corpus model's probability for each language (optionally only ``among``)."""
    scorer = trained()["languages"]
    scores = scorer.scores(fold(text))
    classes = scorer.classes
    if among is not None:
        keep = [i for i, c in enumerate(classes) if c in among]
        classes = [classes[i] for i in keep]
        scores = scores[keep]
    return dict(zip(classes, softmax(scores).tolist(), strict=True))


@once
def _lingua():
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    codes = set(_SUPPORTED_LATIN) | set(_UNSUPPORTED_LATIN)
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
    """Ukrainian is our only Cyrillic language; Russian-only letters mean Russian."""
    letters = set(text.lower())
    if letters & set("ыэъё") and not letters & set("іїєґ"):
        return Detection("ru", 1.0, certain=True)
    return Detection("uk", 1.0, certain=bool(letters & set("іїєґ")))


def _arabic_script(text: str) -> Detection:
    if set(text) & _URDU_ONLY_LETTERS:
        return Detection("ur", 1.0, certain=True)
    return _best(_probabilities(text, among=_ARABIC_SCRIPT_LANGUAGES))


#: Words of Hindi written in Latin letters that Roman Urdu does not use: a message in
#: "Roman Urdu" with one of these is Hinglish (Hindi, answered in English with an
#: interpreter offered: a Hindi reader may not read Urdu script).
HINDI_ONLY_WORDS = frozenset(
    {
        "kripya",
        "krpya",
        "sahayata",
        "sahayta",
        "dhanyavad",
        "dhanyavaad",
        "namaste",
        "namaskar",
        "surakshit",
        "vyakti",
        "aatmahatya",
        "atmahatya",
        "anuvadak",
        "jaankari",
        "mamle",
        "turant",
        "pati",
        "bachchon",
        "bachche",
    }
)


def _close_call(text: str) -> bool:
    """Whether our model's two likeliest languages score within CLOSE_MARGIN of each
    other per letter. Its probabilities are near 1 even when wrong; this margin is not:
    on our labelled Latin-script messages it flags 14% of wrong guesses, 0.2% of right ones."""
    folded = fold(text)
    scores = sorted(trained()["languages"].scores(folded).tolist(), reverse=True)
    return (scores[0] - scores[1]) / max(1, len(folded)) < CLOSE_MARGIN


def _latin(text: str) -> Detection:
    ours = _best(_probabilities(text))
    ours = Detection(ours.language, ours.confidence, close=_close_call(text))
    if ours.language == "ur" and HINDI_ONLY_WORDS & set(words(fold(text))):
        return Detection("hi", ours.confidence, close=ours.close)
    if ours.confidence < _OURS_UNSURE:
        theirs = _best(_lingua_scores(text))
        if theirs.language not in SUPPORTED_LANGUAGES and theirs.confidence >= _LINGUA_SURE:
            return theirs
    return ours


def detect(text: str) -> Detection | None:
    """The language of ``text``, or None when it has no letters at all."""
    script = dominant_script(text)
    if script is None:
        return None
    if script in SCRIPT_LANGUAGE:
        return Detection(SCRIPT_LANGUAGE[script], 1.0, certain=True)
    if script == "cyrillic":
        return _cyrillic(text)
    if script == "arabic":
        return _arabic_script(text)
    return _latin(text)


def script_of_text(text: str) -> str | None:
    """The writing system of most letters of ``text`` ("latin", "arabic"...)."""
    return dominant_script(text)


def writes_in_own_script(locale: str) -> bool:
    """Whether the language of ``locale`` has its own script (so Latin letters from a
    person who chose it are most likely that language, transliterated)."""
    return locale.split("_")[0] in OWN_SCRIPT_LANGUAGES


def warm_up() -> None:
    """Train and load the models now (e.g. when a worker starts), not on the first message."""
    trained()
    _lingua().compute_language_confidence_values("warm up")
