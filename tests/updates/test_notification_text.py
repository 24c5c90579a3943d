import pytest

from portal.i18n import SUPPORTED_LOCALES
from portal.services import notification_text
from portal.services.notification_text import (
    CHECK_IN,
    TEXTS,
    render,
    sms_segments,
)
from tests.forbidden import forbidden_in
from tests.updates.samples import PARAMS, params_for


@pytest.mark.parametrize("key", sorted(TEXTS))
def test_every_template_renders_in_english_with_its_placeholders(key):
    message = render(
        key, locale="en", params=params_for(key), crime_reference="NW/1/26", discreet=False
    )
    for text in (message.sms, message.subject, message.text):
        assert text and "{" not in text
    assert "NW/1/26" in message.text or key == "needs_assessment_done"
    assert message.html.startswith('<!doctype html><html lang="en" dir="ltr">')


def test_charged_gives_the_court_date_in_uk_time_and_the_place():
    message = render(
        "charged", locale="en", params=params_for("charged"), crime_reference="R1", discreet=False
    )
    # 09:30 UTC in July is 10:30 in London, British order, in the one date-and-time style
    # the pages use too (issue 18: no weekday here and not there).
    assert "6 July 2026, 10:30" in message.text
    assert "Leeds Magistrates' Court" in message.sms
    assert "Leeds Magistrates&#39; Court" in message.html


def test_officer_free_text_is_sent_as_written_under_a_label_with_an_interpreter_offer():
    message = render(
        "general_update",
        locale="pl",
        params={"text": "We have taken the CCTV."},
        crime_reference="R1",
        discreet=False,
    )
    polish = notification_text.translations("pl")
    assert "We have taken the CCTV." in message.sms  # as written, never machine-translated
    assert polish.gettext(notification_text.OFFICER_TEXT_LABEL) in message.sms
    assert (
        polish.gettext(notification_text.OFFICER_TEXT_LABEL)
        != "Your officer wrote this in English:"
    )
    assert polish.gettext(notification_text.INTERPRETER_OFFER) in message.text


def test_a_locale_whose_catalog_is_missing_falls_back_to_english(monkeypatch, tmp_path):
    monkeypatch.setattr(notification_text, "TRANSLATIONS_DIR", tmp_path)
    notification_text.translations.cache_clear()
    try:
        message = render(
            "suspect_arrested", locale="so", params={}, crime_reference="R1", discreet=False
        )
    finally:
        notification_text.translations.cache_clear()
    assert message.sms == "A suspect has been arrested in your case R1."
    assert message.locale == "so"


def _assert_names_nothing(text: str, locale: str) -> None:
    assert not forbidden_in(text, locale), (locale, text)
    for value in [*PARAMS.values(), "NW/1/26"]:
        assert value not in text


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
@pytest.mark.parametrize("key", sorted(TEXTS))
def test_discreet_messages_name_nothing(locale, key):
    message = render(
        key, locale=locale, params=params_for(key), crime_reference="NW/1/26", discreet=True
    )
    for text in (message.sms, message.subject, message.text, message.html):
        _assert_names_nothing(text, locale)
    english = notification_text.DISCREET.sms
    if locale == "en":
        assert message.sms == english
    else:  # really translated, not the English fallback
        assert message.sms != english


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_discreet_sign_in_code_names_nothing(locale):
    message = notification_text.render_sign_in_code("123456", locale=locale, discreet=True)
    _assert_names_nothing(message.subject, locale)
    _assert_names_nothing(message.text, locale)
    assert "123456" in message.text
    english = notification_text.DISCREET_SIGN_IN_TEXTS.body.format(code="123456")
    assert (message.text == english) == (locale == "en")  # really translated


def test_check_in_is_a_template():
    assert CHECK_IN in TEXTS


@pytest.mark.parametrize(
    ("body", "encoding", "segments"),
    [
        ("a" * 160, "GSM-7", 1),
        ("a" * 161, "GSM-7", 2),
        ("a" * 306, "GSM-7", 2),
        ("a" * 307, "GSM-7", 3),
        ("€" * 80, "GSM-7", 1),  # the euro sign takes two septets
        ("€" * 81, "GSM-7", 2),
        ("ł" * 70, "UCS-2", 1),
        ("ł" * 71, "UCS-2", 2),
        ("a" * 134 + "ł", "UCS-2", 3),  # one non-GSM character makes the whole text UCS-2
        ("ł" * 134, "UCS-2", 2),  # 67 per part once split
        ("ł" * 135, "UCS-2", 3),
        ("a" * 459, "GSM-7", 3),  # 153 per part once split
        ("a" * 460, "GSM-7", 4),
        ("[" * 80, "GSM-7", 1),  # 160 septets: one text
        ("[" * 153, "GSM-7", 3),  # 306 septets, but a part holds only 76 two-septet pairs
        # An escape pair is never cut: 152 + 2 does not fit in the first part.
        ("a" * 152 + "€" + "a" * 152, "GSM-7", 3),
        ("ç", "UCS-2", 1),  # only the capital Ç is in GSM-7
        ("Ç" * 160, "GSM-7", 1),
        ("", "GSM-7", 0),
        # An emoji is two UTF-16 units and its surrogate pair is never cut either.
        ("ł" * 66 + "🙂" + "ł" * 66, "UCS-2", 3),
        ("ł" * 65 + "🙂" + "ł" * 67, "UCS-2", 2),
    ],
)
def test_sms_segment_counter(body, encoding, segments):
    result = sms_segments(body)
    assert (result.encoding, result.segments) == (encoding, segments)


def test_sms_segment_units_count_extension_characters_twice():
    assert sms_segments("Cost: 5€ [a]").units == 15
    assert sms_segments("ł🙂").units == 3
