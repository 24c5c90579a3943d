import json

from click.testing import CliRunner

from portal.chatbot.commands import chat


def test_single_message_prints_the_reply():
    result = CliRunner().invoke(chat, ["kiedy odzyskam telefon"])
    assert result.exit_code == 0, result.output
    assert "telefon" in result.output
    assert "(expenses_property, pl," in result.output


def test_batch_writes_one_json_line_per_input(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text(
        "\n".join(
            json.dumps({"text": t}, ensure_ascii=False)
            for t in ["what are my rights", "preciso de um interprete", "مجھے مترجم چاہیے"]
        ),
        encoding="utf-8",
    )
    result = CliRunner().invoke(chat, ["--batch", str(source)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [set(line) for line in lines] == [{"intent", "language", "reply"}] * 3
    assert [(line["intent"], line["language"]) for line in lines] == [
        ("rights_overview", "en"),
        ("interpreter", "pt"),
        ("interpreter", "ur"),
    ]
    assert all(line["reply"] for line in lines)


def test_no_message_and_no_batch_is_a_usage_error():
    assert CliRunner().invoke(chat, []).exit_code == 2
