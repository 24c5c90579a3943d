"""The labelled training corpus: one file per language under data/corpus/.

Format: ``[intent]`` starts a section; each following non-empty line is one example
message in that language; lines starting with ``#`` are comments.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

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


@dataclass(frozen=True)
class Example:
    language: str
    intent: str
    text: str


def parse(language: str, source: str) -> list[Example]:
    examples: list[Example] = []
    intent: str | None = None
    for number, raw in enumerate(source.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            intent = line[1:-1]
            if intent not in INTENTS:
                raise ValueError(f"{language}:{number}: unknown intent {intent!r}")
            continue
        if intent is None:
            raise ValueError(f"{language}:{number}: example before any [intent]")
        examples.append(Example(language, intent, line))
    return examples


@cache
def load() -> tuple[Example, ...]:
    examples: list[Example] = []
    for path in sorted(CORPUS_DIR.glob("*.txt")):
        examples.extend(parse(path.stem, path.read_text(encoding="utf-8")))
    return tuple(examples)


def read_labelled(path: Path) -> list[Example]:
    """Read a labelled set: ``language<TAB>intent<TAB>text`` per line, ``#`` for comments.

    Used for evaluation sets (tests/chatbot/eval_messages.tsv, the benchmark).
    """
    examples = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            language, intent, text = line.split("\t")
            examples.append(Example(language, intent, text))
    return examples
