"""Right-to-left pages and messages never reorder a number (issue 18, fault 2).

In ar, ur and fa the bidi algorithm shows "08 08 16 89 111" as "111 89 16 08 08" unless
the number sits in a direction isolate. Every page (tests/pages.py) and every message is
rendered with known sample values; each phone number, crime reference, email address,
code, date and time in them must be inside `<bdi>` / an element with `dir` (pages), or
between U+2066..U+2068 and U+2069 (SMS and email).
"""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from babel import Locale

from portal.i18n import FSI, LRI, PDI, RTL_LOCALES, format_day_time
from portal.services.notification_text import TEXTS, render, render_sign_in_code
from tests.i18n.rendered import (
    OFFICER_PHONE,
    VICTIM_SUPPORT_PHONE,
    rendered_site,
    text_runs,
    without_isolated_text,
)
from tests.updates.samples import params_for

RTL = sorted(RTL_LOCALES)
#: Digit groups joined by spaces, slashes, colons or dashes: what the bidi algorithm
#: may reorder ("020 7946 0000", "01/000001/26", "18:25"). A decimal ("2.2") is one number.
_DIGIT = "[0-9\u0660-\u0669\u06f0-\u06f9]"
NUMBER_GROUPS = re.compile(rf"{_DIGIT}+(?:[ /:\-]{_DIGIT}+)+")
EMAIL_OR_URL = re.compile(r"\S+@\S+\.\w+|https?://\S+")


def test_the_right_to_left_locales_come_from_cldr():
    assert {"ar", "fa", "ur"} <= RTL_LOCALES
    assert all(Locale.parse(code).character_order == "right-to-left" for code in RTL_LOCALES)


@pytest.fixture(scope="module")
def site():
    rendered = rendered_site()
    yield rendered
    rendered.app.extensions["db_engine"].dispose()


def _month_names(locale: str) -> list[str]:
    return list(Locale.parse(locale).months["format"]["wide"].values())


def _exposed(text: str, locale: str, known: list[str]) -> list[str]:
    """The values in `text` that a reader could see reordered."""
    found = [m.group(0) for m in NUMBER_GROUPS.finditer(text)]
    found += [m.group(0) for m in EMAIL_OR_URL.finditer(text)]
    found += [value for value in known if value in text]
    for name in _month_names(locale):
        if re.search(rf"\d\s*{re.escape(name)}|{re.escape(name)}\s*\d", text):
            found.append(name)
    return found


def _known_values(world) -> list[str]:
    return [
        OFFICER_PHONE,
        VICTIM_SUPPORT_PHONE,
        world.case_a.crime_reference,
        world.case_b.crime_reference,
        world.victim_a.phone_e164,
        world.victim_a.email,
        *(user.email for user in world.staff.values()),
    ]


def _problems(site, pages, locale: str, known: list[str]) -> tuple[list[str], set[str]]:
    problems, seen = [], set()
    for page in pages:
        html = site.open(page, locale)
        if '<html lang="' in html and 'dir="ltr"' in html.split(">", 2)[1]:
            continue  # a left-to-right document (a statement in the record's language)
        for run in text_runs(html):
            if run.isolated:
                seen.update(value for value in known if value in run.text)
                continue
            exposed = _exposed(without_isolated_text(run.text), locale, known)
            problems += [f"{page}: {value!r} in {run.text.strip()[:80]!r}" for value in exposed]
            seen.update(value for value in known if value in run.text)
    return problems, seen


@pytest.mark.parametrize("locale", RTL)
def test_every_page_isolates_every_number_and_address(site, locale):
    world = site.world
    known = _known_values(world)
    problems, seen = _problems(site, site.pages, locale, known)
    assert not problems, f"{locale}: values outside a direction isolate:\n" + "\n".join(problems)
    # The pages did show the sample values (the check above is not vacuous).
    assert {OFFICER_PHONE, VICTIM_SUPPORT_PHONE, world.case_a.crime_reference} <= seen


def _isolated_everywhere(text: str, value: str) -> bool:
    """Each occurrence of `value` in `text` is right after an isolate opener (LRI or FSI)
    and closed by PDI."""
    positions = [m.start() for m in re.finditer(re.escape(value), text)]
    return bool(positions) and all(
        text[i - 1 : i] in (LRI, FSI) and text[i + len(value) : i + len(value) + 1] == PDI
        for i in positions
    )


@pytest.mark.parametrize("locale", RTL)
@pytest.mark.parametrize("key", sorted(TEXTS))
def test_every_message_isolates_the_reference_and_the_date(locale, key):
    reference = "01/100148/26"
    params = params_for(key)
    message = render(key, locale=locale, params=params, crime_reference=reference, discreet=False)
    for text in (message.sms, message.subject, message.text, message.html):
        if reference in text:
            assert _isolated_everywhere(text, reference), (key, text)
        assert not NUMBER_GROUPS.search(without_isolated_text(text)), (key, text)
    assert reference in message.text or key == "needs_assessment_done"
    when = params.get("court_date") or params.get("new_date")
    if when:
        day = format_day_time(datetime.fromisoformat(when), locale)
        assert _isolated_everywhere(message.sms, day), message.sms


@pytest.mark.parametrize("locale", RTL)
def test_sign_in_codes_are_isolated_in_right_to_left_messages(locale):
    for discreet in (True, False):
        text = render_sign_in_code("123456", locale=locale, discreet=discreet).sms
        assert _isolated_everywhere(text, "123456"), text


def test_left_to_right_messages_carry_no_isolate_marks():
    """The marks cost SMS characters and mean nothing in a left-to-right text."""
    params = params_for("charged")
    message = render(
        "charged", locale="pl", params=params, crime_reference="01/1/26", discreet=False
    )
    assert not {LRI, FSI, PDI} & set(message.sms + message.text)


@pytest.mark.parametrize("key", sorted(TEXTS))
def test_discreet_messages_render_in_right_to_left_locales(key):
    for locale in RTL:
        message = render(
            key, locale=locale, params=params_for(key), crime_reference="01/1/26", discreet=True
        )
        assert "01/1/26" not in message.sms


@pytest.fixture(scope="module")
def withdrawal_pages(site):
    """The pages that exist only once a withdrawal is confirmed (not in tests/pages.py):
    the victim's receipt, change-my-mind page and statement file, the officer's record."""
    from sqlmodel import Session

    from portal.models import WithdrawalAnswer
    from portal.models.base import utcnow
    from tests.pages import Page, signed_in_state
    from tests.withdrawal.officer.records import victim_confirmed

    world = site.world
    with Session(site.app.extensions["db_engine"]) as session:
        record = victim_confirmed(
            session,
            case_id=world.case_a.id,
            victim_id=world.victim_a.id,
            now=utcnow(),
            answers={WithdrawalAnswer.SAFE_CONTACT_HOURS: "09:00-18:30"},
        )
        record_id = record.id
    victim = signed_in_state(site.app, world, "victim")
    officer = signed_in_state(site.app, world, "officer")
    base = f"/my-case/cases/{world.case_a.id}/withdrawal"
    return [
        Page("victim.withdrawal_receipt", f"{base}/receipt", "victim", victim),
        Page("victim.withdrawal_rescind", f"{base}/change-my-mind", "victim", victim),
        Page("victim.withdrawal_statement", f"{base}/statement", "victim", victim),
        Page("staff.withdrawal_record", f"/staff/withdrawals/{record_id}", "officer", officer),
    ]


@pytest.mark.parametrize("locale", RTL)
def test_withdrawal_records_and_statements_isolate_every_number(site, withdrawal_pages, locale):
    known = [*_known_values(site.world), "09:00"]
    problems, seen = _problems(site, withdrawal_pages, locale, known)
    assert not problems, f"{locale}: values outside a direction isolate:\n" + "\n".join(problems)
    assert site.world.case_a.crime_reference in seen
