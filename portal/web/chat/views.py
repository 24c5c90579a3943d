"""The chat page (GET/POST /chat, no JavaScript needed) and its JSON twin (/chat/answer).

What a person types is never stored or logged: it is echoed once, in the answer, and
forgotten. The only trace is a count per day, intent, language and channel
(services.chat_counts). A signed-in victim who asks about their case sees the stage and
the next update date of their own cases, each view audited.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app, jsonify, render_template, request
from flask_babel import force_locale, get_locale, gettext
from markupsafe import Markup
from werkzeug.datastructures import MultiDict

from portal import chatbot
from portal.db import get_session
from portal.extensions import limiter
from portal.i18n import normalise
from portal.models import Case
from portal.models.base import utcnow
from portal.services import access, chat_counts
from portal.services.case_stages import STAGE_NAMES
from portal.web.auth import current_principal, current_victim

from . import bp
from .links import Link, link_for

#: Longer than any real question; longer input is refused with a message, never cut.
MESSAGE_MAX = 500


def _limit():
    return current_app.config["CHAT_LIMIT_PER_IP"]


def _page_locale() -> str:
    return str(get_locale() or "en")


@dataclass
class Question:
    """What was asked: typed text, or a topic chosen from a list (with the language that
    list was offered in, which may not be the page's)."""

    text: str = ""
    topic: str | None = None
    locale: str | None = None
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_form(cls, form: MultiDict) -> Question:
        topic = form.get("topic")
        if topic is not None:
            question = cls(topic=topic, locale=normalise(form.get("locale")))
            if topic not in {t.intent for t in chatbot.all_topics("en")}:
                question.errors["message"] = gettext("Choose a topic from the list.")
            return question
        question = cls(text=form.get("message", "").replace("\x00", "").strip())
        if not question.text:
            question.errors["message"] = gettext("Type your question.")
        elif len(question.text) > MESSAGE_MAX:
            question.errors["message"] = gettext(
                "Use %(count)s characters or fewer.", count=MESSAGE_MAX
            )
        return question


@dataclass(frozen=True)
class Turn:
    """One question and its answer, as shown once and then forgotten."""

    asked: str
    answer: chatbot.Reply
    links: list[Link]
    own_cases: list[Case]


def _own_cases(answer: chatbot.Reply) -> list[Case]:
    """The signed-in victim's cases when the bot answers about their case (audited)."""
    if current_victim() is None or not any(a.kind == "case_status" for a in answer.actions):
        return []
    db = get_session()
    who = current_principal()
    opened = (
        access.open_case(db, who, case.id, action="case.status.view")
        for case in access.cases_for(db, who)
    )
    return [case for case in opened if case is not None]


def _answer(question: Question) -> Turn:
    locale, victim = question.locale or _page_locale(), current_victim()
    if question.topic is not None:
        answer = chatbot.reply_to_topic(question.topic, locale, victim)
        asked = next(t.label for t in chatbot.all_topics(locale) if t.intent == question.topic)
    else:
        answer = chatbot.reply(question.text, locale, victim)
        asked = question.text
    turn = Turn(asked, answer, [link_for(a) for a in answer.actions], _own_cases(answer))
    db = get_session()
    chat_counts.record(
        db, intent=answer.intent, language=answer.language, channel="web", now=utcnow()
    )
    db.commit()
    return turn


def _render_turn(turn: Turn) -> Markup:
    """The answer in its own language (which may not be the page's), lang and dir set."""
    with force_locale(turn.answer.locale):
        html = render_template("chat/_turn.html", turn=turn, stage_names=STAGE_NAMES)
    return Markup(html)  # noqa: S704 - rendered by our own autoescaping template


def _page(question: Question, turn: Turn | None = None, status: int = 200):
    show_all = request.args.get("topics") == "all"
    page = render_template(
        "chat/page.html",
        question=question,
        turn_html=_render_turn(turn) if turn else "",
        all_topics=chatbot.all_topics(_page_locale()) if show_all else (),
    )
    return page, status


@bp.get("/chat")
def page():
    return _page(Question())


@bp.post("/chat")
@limiter.limit(_limit)
def ask():
    question = Question.from_form(request.form)
    if question.errors:
        return _page(question, status=400)
    return _page(Question(), _answer(question))


@bp.post("/chat/answer")
@limiter.limit(_limit)
def answer():
    """For the page's script: the same answer as a fragment of HTML to add to the page."""
    question = Question.from_form(request.form)
    if question.errors:
        html = render_template("chat/_errors.html", errors=question.errors)
        return jsonify(errors=question.errors, html=html), 400
    turn = _answer(question)
    return jsonify(
        intent=turn.answer.intent,
        language=turn.answer.language,
        locale=turn.answer.locale,
        html=str(_render_turn(turn)),
    )
