"""Chatbot accuracy (issue 14): danger recall and false alarms, intent and language, per
language and script, on messages training never saw.

Run: ``python -m bench.chatbot_accuracy`` (after ``make chatbot-model``). Sets:

- held-out: the quarter of the ``data/corpus/<lang>.<part>.txt`` messages that training
  never sees (corpus.load_held_out());
- labelled: the hand-written sets in tests/chatbot/*.tsv (never in training), including
  danger_messages.tsv, written apart from the corpus.

"Latin" means a message in Latin letters in a language with a script of its own (Roman
Urdu, arabizi...); for Hinglish ("hi", not a portal language) the expected language is
"hi", answered in English with an interpreter offered.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from portal.chatbot import corpus, reply
from portal.chatbot.catalog import compile_catalogs
from portal.chatbot.language import OWN_SCRIPT_LANGUAGES
from portal.chatbot.scripts import dominant_script
from portal.chatbot.training import trained

LABELLED_DIR = Path(__file__).resolve().parents[1] / "tests" / "chatbot"


def _script(example: corpus.Example) -> str:
    transliterated = example.language in OWN_SCRIPT_LANGUAGES | {"hi"}
    return "latin" if transliterated and dominant_script(example.text) == "latin" else "native"


def _share(hits: list[bool]) -> str:
    return f"{sum(hits) / len(hits):.3f} ({sum(hits)}/{len(hits)})" if hits else "-"


def evaluate(name: str, examples: list[corpus.Example]) -> None:
    danger_hits: dict[tuple[str, str], list[bool]] = defaultdict(list)
    kind_hits: dict[str, list[bool]] = defaultdict(list)
    false_alarms: dict[str, list[bool]] = defaultdict(list)
    intent_hits: dict[str, list[bool]] = defaultdict(list)
    language_hits: dict[str, list[bool]] = defaultdict(list)
    per_intent: dict[str, list[bool]] = defaultdict(list)
    misses: list[str] = []
    for example in examples:
        answer = reply(example.text)
        script = _script(example)
        if example.intent == "danger":
            danger_hits[(example.language, script)].append(answer.intent == "danger")
            kind_hits[example.kind or "immediate"].append(answer.intent == "danger")
            if answer.intent != "danger":
                misses.append(f"{example.language} {example.kind}: {example.text}")
        else:
            false_alarms[script].append(answer.intent == "danger")
        intent_hits[script].append(answer.intent == example.intent)
        per_intent[example.intent].append(answer.intent == example.intent)
        expected = "en" if example.language == "hi" else example.language
        language_hits[script].append(
            answer.language == example.language or answer.locale.split("_")[0] == expected
        )
    print(f"\n## {name}: {len(examples)} messages\n")
    everything = [hit for hits in danger_hits.values() for hit in hits]
    print(f"danger recall overall: {_share(everything)}")
    for kind, hits in sorted(kind_hits.items()):
        print(f"  {kind}: {_share(hits)}")
    for script in ("native", "latin"):
        print(f"false danger ({script}): {_share(false_alarms[script])}")
        print(f"intent ({script}): {_share(intent_hits[script])}")
        print(f"language ({script}): {_share(language_hits[script])}")
    print("danger recall per language:")
    for (language, script), hits in sorted(danger_hits.items()):
        print(f"  {language} {script}: {_share(hits)}")
    print("intent per intent:")
    for intent, hits in sorted(per_intent.items()):
        print(f"  {intent}: {_share(hits)}")
    for line in misses:
        print(f"  missed: {line}")


def main() -> None:
    compile_catalogs()
    print("threshold and out-of-fold figures:", trained()["thresholds"])
    evaluate("held-out split of the corpus", list(corpus.load_held_out()))
    labelled = [
        e for path in sorted(LABELLED_DIR.glob("*.tsv")) for e in corpus.read_labelled(path)
    ]
    evaluate("hand-written labelled sets (tests/chatbot/*.tsv)", labelled)


if __name__ == "__main__":
    main()
