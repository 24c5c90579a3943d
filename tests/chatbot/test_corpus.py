"""The corpus format (templates with slots) and its held-out split (issue 14)."""

import pytest

from portal.chatbot import corpus
from portal.chatbot.text import fold


def test_a_slot_stands_for_one_message_per_value_in_any_script():
    source = "@ਉਹ = ਉਹ | ਮੇਰਾ ਪਤੀ\n@ਹੁਣ = ਹੁਣ | ਫੇਰ\n[danger/threat]\n{ਉਹ} ਧਮਕੀ ਦਿੰਦਾ {ਹੁਣ}\n"
    texts = sorted(e.text for e in corpus.parse("pa", source))
    assert texts == sorted(
        ["ਉਹ ਧਮਕੀ ਦਿੰਦਾ ਹੁਣ", "ਉਹ ਧਮਕੀ ਦਿੰਦਾ ਫੇਰ", "ਮੇਰਾ ਪਤੀ ਧਮਕੀ ਦਿੰਦਾ ਹੁਣ", "ਮੇਰਾ ਪਤੀ ਧਮਕੀ ਦਿੰਦਾ ਫੇਰ"]
    )
    assert {e.kind for e in corpus.parse("pa", source)} == {"threat"}


@pytest.mark.parametrize(
    "source",
    [
        "[danger]\n{who} is here\n",
        "[danger/unknown]\nhelp\n",
        "[greeting/x]\nhi\n",
        "[danger]\n{ x }\n",
    ],
)
def test_a_broken_corpus_line_is_an_error_not_a_training_message(source):
    with pytest.raises(ValueError):
        corpus.parse("en", source)


def test_the_held_out_split_is_a_quarter_and_never_trained_on():
    held_out = corpus.load_held_out()
    training = {fold(e.text) for e in corpus.load()}
    assert not [e.text for e in held_out if fold(e.text) in training]
    in_parts = [
        e
        for path in sorted(corpus.CORPUS_DIR.glob("*.*.txt"))
        for e in corpus.parse(path.name.split(".")[0], path.read_text(encoding="utf-8"))
    ]
    assert sum(corpus.held_out(e.text) for e in in_parts) / len(in_parts) >= 0.2
    danger = [e for e in held_out if e.intent == "danger"]
    assert len(danger) >= 1000
    assert {e.kind for e in danger} == set(corpus.DANGER_KINDS)
