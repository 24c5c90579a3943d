"""The labelled training corpus: files under data/corpus/.

``<lang>.txt`` holds hand-written messages; ``<lang>.<part>.txt`` (e.g. ``en.danger.txt``,
``ur.latn.txt``) holds more, often as templates. Format:

- ``[intent]`` starts a section; ``[danger/<kind>]`` a danger section of one kind
  (see ``DANGER_KINDS``); a plain ``[danger]`` section is of kind "immediate".
- ``@slot = one | two | three`` defines a slot; a line with ``{slot}`` stands for one
  message per value (every combination when a line has several slots).
- Every other non-empty line is one example message; ``#`` starts a comment line.

Held-out split: the messages of the ``<lang>.<part>.txt`` files are split by a stable
hash of their folded text, one in ``HOLDOUT_EVERY`` kept out of training
(``load()`` returns only the training part, ``load_held_out()`` the rest). The
hand-written ``<lang>.txt`` files are trained on whole; their held-out sets are the
labelled files in tests/chatbot/*.tsv, written apart from them.
"""

from __future__ import annotations

import itertools
import re
import zlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .text import fold

CORPUS_DIR = Path(__file__).parent / "data" / "corpus"

INTENTS: tuple[str, ...] = (
    "greeting",
    "rights_overview",
    "interpreter",
    "crime_reference",
    "support_services",
    "compensation",
    "case_updates",
    "personal_statement",
    "court_and_special_measures",
    "case_outcome",
    "expenses_property",
    "offender_release",
    "complaint",
    "case_status",
    "withdraw",
    "danger",
    "talk_to_person",
    "change_contact",
    "immigration_status",
    "fallback",
)
#: The kinds of danger the bot must recognise (issue 14). "self_harm" gets the crisis
#: answer (Samaritans); every other kind the emergency answer (999, 55).
DANGER_KINDS: tuple[str, ...] = (
    "immediate",
    "threat",
    "stalking",
    "injury",
    "self_harm",
    "child",
    "cant_talk",
)
#: One message in this many of the ``<lang>.<part>.txt`` files is held out.
HOLDOUT_EVERY = 4

#: A slot name: anything but braces and spaces (Indic names hold vowel signs, not \w).
_SLOT = re.compile(r"\{([^{}\s]+)\}")


@dataclass(frozen=True)
class Example:
    language: str
    intent: str
    text: str
    #: For danger examples: one of DANGER_KINDS.
    kind: str | None = None


def _section(language: str, number: int, name: str) -> tuple[str, str | None]:
    intent, _, kind = name.partition("/")
    if intent not in INTENTS:
        raise ValueError(f"{language}:{number}: unknown intent {intent!r}")
    if intent != "danger":
        if kind:
            raise ValueError(f"{language}:{number}: only danger sections have kinds")
        return intent, None
    kind = kind or "immediate"
    if kind not in DANGER_KINDS:
        raise ValueError(f"{language}:{number}: unknown danger kind {kind!r}")
    return intent, kind


def _expand(line: str, slots: dict[str, list[str]], where: str) -> list[str]:
    names = _SLOT.findall(line)
    if not names:
        return [line]
    missing = [n for n in names if n not in slots]
    if missing:
        raise ValueError(f"{where}: undefined slot {missing[0]!r}")
    texts = []
    for values in itertools.product(*(slots[n] for n in names)):
        text = line
        for name, value in zip(names, values, strict=True):
            text = text.replace(f"{{{name}}}", value, 1)
        texts.append(text)
    return texts


def parse(language: str, source: str) -> list[Example]:
    examples: list[Example] = []
    intent: str | None = None
    kind: str | None = None
    slots: dict[str, list[str]] = {}
    for number, raw in enumerate(source.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("@") and "=" in line:
            name, _, values = line[1:].partition("=")
            slots[name.strip()] = [v.strip() for v in values.split("|") if v.strip()]
            continue
        if line.startswith("[") and line.endswith("]"):
            intent, kind = _section(language, number, line[1:-1])
            continue
        if intent is None:
            raise ValueError(f"{language}:{number}: example before any [intent]")
        for text in _expand(line, slots, f"{language}:{number}"):
            if "{" in text or "}" in text:
                raise ValueError(f"{language}:{number}: a brace that is not a slot")
            examples.append(Example(language, intent, " ".join(text.split()), kind))
    return examples


def held_out(text: str) -> bool:
    """Whether a message of a ``<lang>.<part>.txt`` file belongs to the held-out split."""
    return zlib.crc32(fold(text).encode("utf-8")) % HOLDOUT_EVERY == 0


@cache
def _all() -> tuple[tuple[Example, bool], ...]:
    """Every example, each with whether it is held out."""
    found: dict[tuple[str, str], tuple[Example, bool]] = {}
    for path in sorted(CORPUS_DIR.glob("*.txt")):
        language, _, part = path.stem.partition(".")
        for example in parse(language, path.read_text(encoding="utf-8")):
            key = (example.intent, fold(example.text))
            found.setdefault(key, (example, bool(part) and held_out(example.text)))
    return tuple(found.values())


@cache
def load() -> tuple[Example, ...]:
    """The training examples (never the held-out split)."""
    return tuple(example for example, out in _all() if not out)


@cache
def load_held_out() -> tuple[Example, ...]:
    """The held-out split of the ``<lang>.<part>.txt`` files, for benchmarks only."""
    return tuple(example for example, out in _all() if out)


def read_labelled(path: Path) -> list[Example]:
    """Read a labelled set: ``language<TAB>intent<TAB>text`` per line, ``#`` for comments.

    Used for evaluation sets (tests/chatbot/eval_messages.tsv, the benchmark). An intent
    written ``danger/<kind>`` gives the example that danger kind.
    """
    examples = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            language, label, text = line.split("\t")
            intent, _, kind = label.partition("/")
            examples.append(Example(language, intent, text, kind or None))
    return examples
