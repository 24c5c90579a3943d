"""Every page (tests/pages.py) with known sample values in it, rendered in a locale and
split into text runs, for the language checks (direction isolates, English leaking).

The world of tests/people.py is filled in so every kind of value a page can show is
there: officers' phone numbers, dates of events and deadlines, an alert, messages sent,
an interpreter request typed in English, chatbot counts with internal intent names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from html.parser import HTMLParser

from sqlmodel import Session, SQLModel

from portal.i18n import FSI, LRI, PDI
from portal.models import Case, StaffUser, Victim
from portal.services import alerts, chat_counts
from portal.services.case_events import record_event
from tests.pages import discover, open_in_client
from tests.people import World, build_world
from tests.support.apps import make_app

OFFICER_PHONE = "020 7946 0000"
VICTIM_SUPPORT_PHONE = "08 08 16 89 111"
NOW = datetime(2026, 12, 6, 18, 36, 40, tzinfo=UTC)
COURT = "2027-01-03T18:25:00+00:00"


def sample_world(app) -> World:
    """tests/people.py's world, with a value of every kind on the pages."""
    SQLModel.metadata.create_all(app.extensions["db_engine"])
    with Session(app.extensions["db_engine"], expire_on_commit=False) as session:
        world = build_world(session)
        for user in world.staff.values():
            user = session.get(StaffUser, user.id)
            user.phone = OFFICER_PHONE
            session.add(user)
        victim = session.get(Victim, world.victim_a.id)
        victim.interpreter_needed = True
        victim.interpreter_language = "Arabic"
        victim.safe_hours_start, victim.safe_hours_end = time(9, 0), time(18, 30)
        session.add(victim)
        case = session.get(Case, world.case_a.id)
        case.next_update_due_at = NOW + timedelta(days=28)
        session.add(case)
        record_event(
            session,
            case,
            "charged",
            {"offence": "Assault", "court_date": COURT, "court_place": "Leeds Crown Court"},
            occurred_at=NOW - timedelta(days=1),
            actor="test",
            now=NOW - timedelta(days=1),
        )
        alerts.raise_alert(
            session,
            kind="victim_unreachable",
            staff_id=world.staff["officer_north"].id,
            case_id=case.id,
            now=NOW,
        )
        for intent in ("fallback", "case_updates", "greeting"):
            chat_counts.record(session, intent=intent, language="pl", channel="web", now=NOW)
        session.commit()
    return world


@dataclass
class Rendered:
    app: object
    world: World
    pages: list = field(default_factory=list)

    def open(self, page, locale: str) -> str:
        client = self.app.test_client()
        response = open_in_client(client, self.app, page, locale)
        assert response.status_code == 200, (page, locale, response.status_code)
        return response.get_data(as_text=True)


def rendered_site() -> Rendered:
    app = make_app()
    world = sample_world(app)
    return Rendered(app, world, discover(app, world))


@dataclass(frozen=True)
class Run:
    """A piece of visible text, and whether it sits inside a direction isolate."""

    text: str
    isolated: bool
    tag: str
    #: The nearest `lang` attribute around the text ("" when none).
    lang: str = ""


#: Elements whose text is not read as part of the page (or is read elsewhere).
_NOT_TEXT = {"script", "style", "title", "svg"}


class TextRuns(HTMLParser):
    """The page's text split at every element, each run marked isolated when inside a
    `<bdi>` or an element with `dir` (the root `<html dir>` aside)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.runs: list[Run] = []
        self._stack: list[tuple[str, bool, str | None]] = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in {"br", "img", "input", "meta", "link", "hr", "wbr", "source"}:
            return
        isolating = tag == "bdi" or (tag != "html" and "dir" in attrs)
        self._stack.append((tag, isolating, attrs.get("lang")))
        if tag in _NOT_TEXT:
            self._skipping += 1

    def handle_endtag(self, tag):
        while self._stack:
            open_tag = self._stack.pop()[0]
            if open_tag in _NOT_TEXT:
                self._skipping -= 1
            if open_tag == tag:
                break

    def handle_data(self, data):
        if self._skipping or not data.strip():
            return
        isolated = any(isolating for _, isolating, _ in self._stack)
        tag = self._stack[-1][0] if self._stack else ""
        lang = next((lang for _, _, lang in reversed(self._stack) if lang is not None), "")
        self.runs.append(Run(data, isolated, tag, lang))


def text_runs(html: str) -> list[Run]:
    parser = TextRuns()
    parser.feed(html)
    return parser.runs


def without_isolated_text(text: str) -> str:
    """`text` with every LRI/FSI ... PDI span taken out (those parts are isolated)."""
    out, depth = [], 0
    for char in text:
        if char in (LRI, FSI, "\u2067"):
            depth += 1
        elif char == PDI and depth:
            depth -= 1
        elif not depth:
            out.append(char)
    return "".join(out)
