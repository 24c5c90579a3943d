from collections import Counter
from pathlib import Path

from portal.chatbot import corpus, reply
from portal.chatbot.text import fold

EVAL_FILE = Path(__file__).parent / "eval_messages.tsv"
HOLDOUT_FILE = Path(__file__).parent / "holdout_messages.tsv"
HOLDOUT2_FILE = Path(__file__).parent / "holdout2_messages.tsv"

#: Issue 14 made danger recall-first: a separate detector with a low bar now gives the
#: danger answer (with the likeliest topics) to about 3-4% of everyday messages too, a
#: false alarm the issue accepts ("costs a few seconds of reading") to miss no danger.
#: That lowered these intent figures; the bars below are the measured ones after it.
#:
#: Measured 0.953 / 1.000 on the evaluation set (400 messages) after the chatbot2 corpus;
#: 0.953 / 0.998 after issue 14.
INTENT_BAR = 0.94
LANGUAGE_BAR = 0.99
#: Measured 0.85 / 1.00 on the held-out set (60 messages) when it was written;
#: 0.933 / 1.000 after the chatbot2 corpus additions (never tuned on it); 0.867 / 1.000
#: after issue 14.
HOLDOUT_INTENT_BAR = 0.86
HOLDOUT_LANGUAGE_BAR = 1.0
#: Second held-out set (208 messages, 17 languages), written before the chatbot2 corpus
#: additions and measured once after them: intent 0.928, language 0.990; after issue 14
#: (Roman Punjabi and Roman Urdu now both trained on, and told apart less surely):
#: intent 0.913, language 0.986 (between 0.894 and 0.913 as the danger model changed).
HOLDOUT2_INTENT_BAR = 0.89
HOLDOUT2_LANGUAGE_BAR = 0.98
DANGER_FILE = Path(__file__).parent / "danger_messages.tsv"
LABELLED_SETS = (EVAL_FILE, HOLDOUT_FILE, HOLDOUT2_FILE, DANGER_FILE)


def _accuracy(rows):
    answers = [reply(r.text) for r in rows]
    intent = sum(a.intent == r.intent for a, r in zip(answers, rows, strict=True)) / len(rows)
    language = sum(a.language == r.language for a, r in zip(answers, rows, strict=True)) / len(rows)
    return intent, language


def test_evaluation_set_is_broad_and_separate_from_training():
    rows = corpus.read_labelled(EVAL_FILE)
    per_intent = Counter(r.intent for r in rows)
    assert set(per_intent) == set(corpus.INTENTS)
    assert min(per_intent.values()) >= 20
    assert len({r.language for r in rows}) >= 19
    for intent in corpus.INTENTS:
        assert len({r.language for r in rows if r.intent == intent}) >= 8, intent
    training = {fold(e.text) for e in corpus.load()}
    assert [r.text for r in rows if fold(r.text) in training] == []


def test_no_labelled_message_is_also_a_training_example():
    training = {fold(e.text) for e in corpus.load()}
    for path in LABELLED_SETS:
        rows = corpus.read_labelled(path)
        assert [r.text for r in rows if fold(r.text) in training] == [], path.name


def test_second_held_out_set_is_broad():
    rows = corpus.read_labelled(HOLDOUT2_FILE)
    per_intent = Counter(r.intent for r in rows)
    assert set(per_intent) == set(corpus.INTENTS)
    assert min(per_intent.values()) >= 8
    assert len({r.language for r in rows}) >= 12


def test_measured_accuracy_on_second_held_out_set():
    rows = corpus.read_labelled(HOLDOUT2_FILE)
    intent, language = _accuracy(rows)
    print(
        f"\nchatbot held-out 2: {len(rows)} messages, intent {intent:.3f}, language {language:.3f}"
    )
    assert intent >= HOLDOUT2_INTENT_BAR
    assert language >= HOLDOUT2_LANGUAGE_BAR


def test_measured_intent_and_language_accuracy():
    rows = corpus.read_labelled(EVAL_FILE)
    intent, language = _accuracy(rows)
    print(
        f"\nchatbot evaluation: {len(rows)} messages, intent {intent:.3f}, language {language:.3f}"
    )
    assert intent >= INTENT_BAR
    assert language >= LANGUAGE_BAR


def test_measured_accuracy_on_held_out_messages():
    rows = corpus.read_labelled(HOLDOUT_FILE)
    training = {fold(e.text) for e in corpus.load()}
    assert [r.text for r in rows if fold(r.text) in training] == []
    intent, language = _accuracy(rows)
    print(f"\nchatbot held-out: {len(rows)} messages, intent {intent:.3f}, language {language:.3f}")
    assert intent >= HOLDOUT_INTENT_BAR
    assert language >= HOLDOUT_LANGUAGE_BAR
