"""The chat page without JavaScript: a form post answered with a full page."""

import gzip
import html as html_lib
import re

import pytest
from sqlmodel import SQLModel

from portal.chatbot.catalog import translate
from portal.chatbot.texts import ACTION_LABELS, LOW_CONFIDENCE, REPLIES
from tests.support.apps import make_app


def ask(client, message, **extra):
    return client.post("/chat", data={"message": message, **extra})


def text_of(fragment: str) -> str:
    return html_lib.unescape(re.sub(r"<[^>]+>", " ", fragment))


def hrefs(fragment: str) -> list[str]:
    return [html_lib.unescape(h) for h in re.findall(r'href="([^"]+)"', fragment)]


def test_the_empty_page_has_a_labelled_form_that_posts_without_javascript(client):
    page = client.get("/chat").get_data(as_text=True)
    assert '<label for="message">Your question</label>' in page
    assert re.search(r'<form id="chat-form"[^>]*method="post" action="/chat"', page)
    assert 'name="csrf_token"' in page
    assert 'autocomplete="off"' in page  # a shared phone must not suggest past questions
    assert "/static/chat.js" in page and "<script>" not in page  # no inline script
    assert 'href="/chat/call-back"' in page and "Talk to a person" in page


def test_english_question_gets_the_answer_and_links_to_the_right(client, chat_log):
    response = ask(client, "can I get an interpreter")
    assert response.status_code == 200
    answer = chat_log(response.get_data(as_text=True))
    assert 'lang="en" dir="ltr"' in answer
    assert "can I get an interpreter" in text_of(answer)  # the question, shown once
    assert REPLIES["interpreter"] in text_of(answer)
    assert "/rights/1" in hrefs(answer) and "/interpreter" in hrefs(answer)


def test_arabic_page_and_question_get_an_arabic_right_to_left_answer(client, chat_log):
    client.set_cookie("lang", "ar")
    response = ask(client, "أحتاج إلى مترجم")
    page = response.get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page
    answer = chat_log(page)
    assert 'lang="ar" dir="rtl"' in answer
    assert translate("ar", REPLIES["interpreter"]) in text_of(answer)
    assert translate("ar", ACTION_LABELS["rights_page"]) in text_of(answer)
    assert translate("ar", REPLIES["interpreter"]) != REPLIES["interpreter"]


def test_polish_question_on_an_english_page_is_answered_in_polish(client, chat_log):
    question = "czy mogę dostać tłumacza, nie mówię dobrze po angielsku"
    answer = chat_log(ask(client, question).text)
    assert 'lang="pl" dir="ltr"' in answer
    assert translate("pl", REPLIES["interpreter"]) in text_of(answer)
    assert translate("pl", REPLIES["interpreter"]) != REPLIES["interpreter"]


def test_danger_shows_999_and_55_before_anything_else(client, chat_log):
    answer = chat_log(ask(client, "he is outside my door and i want to drop the case").text)
    words = " ".join(text_of(answer).split())
    assert words.startswith(REPLIES["danger"]), words
    assert "999" in REPLIES["danger"] and "55" in REPLIES["danger"]
    assert 'role="alert"' in answer
    assert hrefs(answer)[0] == "tel:999"
    assert words.index("Call 999") < words.index("he is outside my door")


def test_when_unsure_it_says_so_offers_topics_and_a_person(client, chat_log):
    answer = chat_log(ask(client, "asdkjh qwe").get_data(as_text=True))
    assert LOW_CONFIDENCE in text_of(answer)
    topics = re.findall(r'<button type="submit"[^>]*name="topic" value="(\w+)"', answer)
    assert len(topics) == 3 and "fallback" not in topics
    assert "/chat/call-back" in hrefs(answer)
    assert ACTION_LABELS["callback"] in text_of(answer)


def test_a_topic_button_asks_again_with_that_topic(client, chat_log):
    answer = chat_log(client.post("/chat", data={"topic": "complaint"}).text)
    assert REPLIES["complaint"] in text_of(answer)
    assert "Make a complaint" in text_of(answer)  # the chosen topic stands for the question
    assert "/rights/12" in hrefs(answer)


def test_a_topic_offered_in_another_language_is_answered_in_it(client, chat_log):
    answer = chat_log(client.post("/chat", data={"topic": "complaint", "locale": "pl"}).text)
    assert 'lang="pl"' in answer
    assert translate("pl", REPLIES["complaint"]) in text_of(answer)


def test_all_topics_can_be_listed_and_chosen(client):
    page = client.get("/chat?topics=all").get_data(as_text=True)
    assert 'id="topics"' in page
    assert len(re.findall(r'name="topic" value="\w+"', page)) == 18


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"message": "   "}, "Type your question."),
        ({"message": "x" * 501}, "Use 500 characters or fewer."),
        ({"topic": "no_such_topic"}, "Choose a topic from the list."),
    ],
)
def test_bad_input_gets_a_clear_error_linked_to_the_field(client, chat_log, form, message):
    response = client.post("/chat", data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'<a href="#message">{message}</a>' in page
    assert 'aria-invalid="true"' in page and 'id="message-error"' in page
    assert page.count(message) == 2  # in the summary and by the field
    assert chat_log(page) == ""
    assert "Traceback" not in page


def test_a_question_that_is_too_long_is_kept_in_the_field(client):
    long_question = "Can I have an interpreter? " * 20
    page = ask(client, long_question).get_data(as_text=True)
    assert f'value="{long_question.strip()}"' in page


def test_json_endpoint_answers_with_the_same_fragment(client, chat_log):
    response = client.post("/chat/answer", data={"message": "kiedy odzyskam telefon"})
    body = response.get_json()
    assert response.status_code == 200
    assert (body["intent"], body["language"], body["locale"]) == ("expenses_property", "pl", "pl")
    assert translate("pl", REPLIES["expenses_property"]) in text_of(body["html"])
    assert "/rights/10" in hrefs(body["html"])
    assert response.headers["Cache-Control"] == "no-store"


def test_json_endpoint_reports_bad_input_with_an_error_summary(client):
    response = client.post("/chat/answer", data={"message": ""})
    assert response.status_code == 400
    body = response.get_json()
    assert body["errors"] == {"message": "Type your question."}
    assert 'class="error-summary"' in body["html"] and 'href="#message"' in body["html"]


def test_the_form_and_the_json_endpoint_need_the_csrf_token():
    app = make_app()
    SQLModel.metadata.create_all(app.extensions["db_engine"])
    client = app.test_client()
    refused = client.post("/chat", data={"message": "can I get an interpreter"})
    assert refused.status_code == 400 and "timed out" in refused.text
    assert client.post("/chat/answer", data={"message": "hello"}).status_code == 400
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/chat").text).group(1)
    accepted = client.post("/chat", data={"message": "hello", "csrf_token": token})
    assert accepted.status_code == 200 and REPLIES["greeting"] in accepted.text


def test_home_and_rights_pages_link_to_the_chat(client):
    for path in ("/", "/rights", "/rights/6"):
        assert 'href="/chat"' in client.get(path).text, path


@pytest.mark.parametrize("locale", ["en", "ar", "ta"])
def test_the_chat_stays_light_for_a_cheap_phone_on_poor_data(client, locale):
    """Victim pages must stay well under 50 KB compressed, CSS and scripts included."""
    client.set_cookie("lang", locale)
    pages = [client.get("/chat?topics=all").data, ask(client, "asdkjh qwe").data]
    static = [
        client.get(f"/static/{name}").data for name in ("portal.css", "quick-exit.js", "chat.js")
    ]
    total = max(len(gzip.compress(page)) for page in pages) + sum(
        len(gzip.compress(data)) for data in static
    )
    assert total < 50 * 1024


@pytest.mark.parametrize("locale", ["en", "ar", "cy", "es_419", "pa", "pt_PT", "so", "ur"])
def test_samaritans_and_the_helpline_are_tel_links_on_the_web(client, chat_log, locale):
    """Issue 14: whatever the page's language, a person in crisis can tap to call."""
    client.set_cookie("lang", locale)
    for message in ("i want to kill myself", "he is outside my door with a knife"):
        answer = chat_log(ask(client, message).text)
        links = hrefs(answer)
        assert {"tel:999", "tel:116123", "tel:08082000247"} <= set(links), (locale, links)
        assert 'role="alert"' in answer
    crisis = chat_log(ask(client, "i want to kill myself").text)
    assert hrefs(crisis)[0] == "tel:116123"
    assert "/chat/call-back" in hrefs(crisis)  # the offer of a person
