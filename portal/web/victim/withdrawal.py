"""The withdrawal steps, for a victim (under /my-case) and for an ISVA acting on a client's
behalf (under /staff/clients/<victim_id>): one set of views and templates, registered
once per audience with its own guard, layout, links and audit actor.

Every request opens the victim's case through `access.open_victim_case` (audited, saying
on whose behalf); the draft is found by case and victim, so nobody reaches another
victim's draft. Nothing is cached (security.py) and every step is a plain form.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import Blueprint, abort, make_response, redirect, render_template, request, url_for
from flask_babel import force_locale, get_locale, gettext
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response

from portal.db import get_session
from portal.i18n import (
    LOCALE_NAMES,
    format_day_time,
    html_lang,
    isolate_ltr_text,
    isolate_text,
    text_direction,
)
from portal.models import Case, StaffUser, Victim, WithdrawalRequest, WithdrawalStatus
from portal.models.base import utcnow
from portal.services import access, withdrawal_flow
from portal.services.withdrawal_flow import NOTE_MAX, OWN_WORDS_MAX, STEP_ANSWERS, STEPS, Acting
from portal.web.auth import current_principal, current_victim

from . import withdrawal_forms as forms
from . import withdrawal_labels as labels

TEMPLATES = "victim/withdrawal/"
#: The sealed statuses the receipt page speaks about.
RECEIPTS = (
    WithdrawalStatus.CONFIRMED,
    WithdrawalStatus.ACKNOWLEDGED,
    WithdrawalStatus.AWAITING_VICTIM,
    WithdrawalStatus.RESCINDED,
)


@dataclass(frozen=True)
class Audience:
    """How one audience walks the flow."""

    #: Endpoint names are f"{blueprint}.{prefix}_{page}".
    blueprint: str
    prefix: str
    #: The template every page extends (the victim's, or the staff one with a notice).
    layout: str
    #: Where "come back later" leads.
    home_endpoint: str
    #: Who is acting, and for which victim, from the URL's arguments.
    acting: Callable[[dict], tuple[Acting, int]]

    def endpoint(self, page: str) -> str:
        return f"{self.blueprint}.{self.prefix}_{page}"


@dataclass
class Visit:
    """One request in the flow: who, for which victim and case, and how to link."""

    audience: Audience
    acting: Acting
    victim: Victim
    case: Case
    url_args: dict[str, Any]

    def link(self, page: str, **kwargs: Any) -> str:
        return url_for(
            self.audience.endpoint(page), **self.url_args, case_id=self.case.id, **kwargs
        )

    def go(self, page: str, **kwargs: Any) -> Response:
        return redirect(self.link(page, **kwargs), code=303)

    def step(self, step: str, **kwargs: Any) -> Response:
        return self.go("step", step=step, **kwargs)

    def render(self, template: str, status: int = 200, **context: Any):
        db = get_session()
        officer = db.get(StaffUser, self.case.officer_id) if self.case.officer_id else None
        summary = context.get("summary")
        shown = context.get("draft") or (summary.record if summary else None)
        page = render_template(
            TEMPLATES + template,
            layout=self.audience.layout,
            visit=self,
            victim=self.victim,
            case=self.case,
            officer=officer,
            home=url_for(self.audience.home_endpoint),
            labels=labels,
            options=forms.OPTIONS,
            steps=STEPS,
            step_answers=STEP_ANSWERS,
            when=_when,
            limits={"own_words": OWN_WORDS_MAX, "note": NOTE_MAX},
            pressured=withdrawal_flow.reported_pressure(shown),
            **context,
        )
        db.commit()
        return page, status


def _url_args(view_args: dict) -> dict:
    """The audience's own URL arguments (an ISVA's client id), kept on every link."""
    return {key: value for key, value in view_args.items() if key not in ("case_id", "step")}


def _open(audience: Audience, view_args: dict, action: str) -> Visit:
    """Open the victim's case for this request (audited), or answer "not found"."""
    db = get_session()
    acting, victim_id = audience.acting(view_args)
    opened = access.open_victim_case(
        db,
        current_principal(),
        victim_id,
        view_args["case_id"],
        action=action,
        on_behalf_of=acting.on_behalf_of,
    )
    if opened is None:
        db.commit()
        abort(404)
    victim, case = opened
    return Visit(audience, acting, victim, case, _url_args(view_args))


def _locale() -> str:
    return str(get_locale() or "en")


def _when(moment: datetime) -> str:
    """A moment on a record in the one date-and-time style (UK time, to the minute),
    isolated for a right-to-left statement."""
    return isolate_text(format_day_time(moment, _locale()), _locale())


# --- pages ---------------------------------------------------------------------------


def start(audience: Audience, **view_args: Any):
    """The way in (from My case, the chatbot or the ISVA dashboard): the one case, or a
    choice when the victim has several."""
    db = get_session()
    who = current_principal()
    acting, victim_id = audience.acting(view_args)
    victim = access.open_victim(
        db, who, victim_id, action="withdrawal.start", on_behalf_of=acting.on_behalf_of
    )
    if victim is None:
        db.commit()
        abort(404)
    member_of = {case.id for case in withdrawal_flow.cases_of(db, victim_id)}
    cases = [case for case in access.cases_for(db, who) if case.id in member_of]
    db.commit()
    url_args = _url_args(view_args)
    if len(cases) == 1:
        return redirect(
            url_for(audience.endpoint("resume"), **url_args, case_id=cases[0].id), code=303
        )
    page = render_template(
        TEMPLATES + "choose_case.html",
        layout=audience.layout,
        victim=victim,
        cases=cases,
        links={
            case.id: url_for(audience.endpoint("resume"), **url_args, case_id=case.id)
            for case in cases
        },
        home=url_for(audience.home_endpoint),
    )
    return page


def resume(audience: Audience, **view_args: Any) -> Response:
    """Carry on where they stopped: the open draft's step, the receipt of a record in
    force, or the first step when there is nothing open."""
    visit = _open(audience, view_args, "withdrawal.view")
    current = withdrawal_flow.latest(get_session(), visit.case.id, visit.victim.id)
    get_session().commit()
    if withdrawal_flow.is_draft(current):
        return visit.step(withdrawal_flow.resume_step(current))
    if withdrawal_flow.may_start(current):
        return visit.step("about")
    return visit.go("receipt")


def step(audience: Audience, step: str, **view_args: Any):
    if step not in STEPS:
        abort(404)
    posted = request.method == "POST"
    visit = _open(audience, view_args, "withdrawal.change" if posted else "withdrawal.view")
    db = get_session()
    current = withdrawal_flow.latest(db, visit.case.id, visit.victim.id)
    draft = current if withdrawal_flow.is_draft(current) else None
    if step == "check" and posted:
        return _confirm(visit)
    if draft is None and step != "about":
        db.commit()
        return visit.go("resume")
    shown = withdrawal_flow.step_to_show(draft, step)
    if shown != step:
        db.commit()
        return visit.step(shown)
    if step == "about":
        return _about(visit, draft, current, posted)
    if not posted:
        return _show_step(visit, draft, step, forms.values_from(draft, step))
    form = forms.READERS[step](request.form)
    if form.errors:
        return _show_step(visit, draft, step, form.values, form, status=400)
    changing = request.form.get("change") == "1" and draft.current_step == "check"
    then = "check" if changing else withdrawal_flow.next_step(step)
    now = utcnow()
    if step == "reasons":
        withdrawal_flow.save_reasons(
            db, draft, **form.data, locale=_locale(), acting=visit.acting, now=now, then=then
        )
    elif step == "help":
        return _help(visit, draft, form)
    else:
        withdrawal_flow.save_answers(
            db, draft, step, form.data, acting=visit.acting, now=now, then=then
        )
    db.commit()
    if request.form.get("later"):
        return redirect(url_for(audience.home_endpoint), code=303)
    return visit.step(then)


def _show_step(visit: Visit, draft, step: str, values: dict, form=None, status: int = 200):
    return visit.render(
        f"{step}.html",
        status,
        draft=draft,
        values=values,
        errors=form.errors if form else {},
        anchors=form.anchors if form else {},
        number=STEPS.index(step) + 1,
        back=visit.link("step", step=STEPS[STEPS.index(step) - 1]),
        changing=request.args.get("change") == "1" or request.form.get("change") == "1",
        asks=withdrawal_flow.help_asked(get_session(), draft) if step == "check" else [],
    )


def _about(visit: Visit, draft, current, posted: bool):
    """What withdrawing means; going on starts the draft (or carries on with the open one)."""
    if not withdrawal_flow.may_start(current):
        get_session().commit()
        return visit.go("resume")
    if not posted:
        return visit.render("about.html", draft=draft, number=1)
    db = get_session()
    try:
        withdrawal_flow.start(
            db,
            visit.case.id,
            visit.victim.id,
            locale=_locale(),
            acting=visit.acting,
            now=utcnow(),
        )
        db.commit()
    except IntegrityError:
        # Another tab started the same version a moment ago: carry on with that draft.
        db.rollback()
    return visit.step("reasons")


def _help(visit: Visit, draft: WithdrawalRequest, form: forms.StepForm) -> Response:
    db = get_session()
    now = utcnow()
    if form.data["offers"]:
        withdrawal_flow.ask_for_help(
            db,
            visit.case,
            visit.victim.id,
            form.data["offers"],
            form.data["note"],
            locale=_locale(),
            acting=visit.acting,
            now=now,
        )
        db.commit()
        return visit.go("help_asked")
    withdrawal_flow.pass_help(db, draft, acting=visit.acting, now=now)
    db.commit()
    return visit.step("check")


def _confirm(visit: Visit) -> Response:
    db = get_session()
    record = withdrawal_flow.confirm(
        db, visit.case, visit.victim.id, acting=visit.acting, now=utcnow()
    )
    db.commit()
    return visit.go("receipt") if record is not None else visit.go("resume")


def help_asked(audience: Audience, **view_args: Any):
    """After asking for help: calm words, nothing withdrawn, and the way to go on later."""
    visit = _open(audience, view_args, "withdrawal.view")
    db = get_session()
    draft = withdrawal_flow.latest(db, visit.case.id, visit.victim.id)
    asks = withdrawal_flow.help_asked(db, draft) if withdrawal_flow.is_draft(draft) else []
    if not asks:
        db.commit()
        return visit.go("resume")
    return visit.render("help_asked.html", ask=asks[-1], draft=draft)


def receipt(audience: Audience, **view_args: Any):
    visit = _open(audience, view_args, "withdrawal.view")
    db = get_session()
    summary = withdrawal_flow.summary_of(
        withdrawal_flow.latest(db, visit.case.id, visit.victim.id), utcnow()
    )
    if summary is None or summary.record.status not in RECEIPTS:
        db.commit()
        return visit.go("resume")
    return visit.render("receipt.html", summary=summary)


def statement(audience: Audience, **view_args: Any):
    """The confirmed record as a file: the victim's own words in their language, every
    structured answer in their language and in English. An audited export; refused, with
    the reason, when the victim asked for discreet mode."""
    visit = _open(audience, view_args, "withdrawal.view")
    db = get_session()
    record = withdrawal_flow.latest(db, visit.case.id, visit.victim.id)
    if not withdrawal_flow.in_force(record):
        db.commit()
        abort(404)
    if visit.victim.discreet:
        withdrawal_flow.record_statement_export(db, record, acting=visit.acting, refused=True)
        return visit.render("statement_refused.html", 403)
    withdrawal_flow.record_statement_export(db, record, acting=visit.acting)
    db.commit()
    with force_locale(record.locale):
        theirs = _statement_strings(record, visit.case)
    with force_locale("en"):
        english = _statement_strings(record, visit.case)
    body = render_template(
        TEMPLATES + "statement.html",
        record=record,
        theirs=theirs,
        english=english,
        bilingual=record.locale != "en",
        reference=withdrawal_flow.record_reference(record),
        language_name=LOCALE_NAMES.get(record.locale, record.locale),
        direction=text_direction(record.locale),
    )
    response = make_response(body)
    response.mimetype = "text/html"
    filename = f"withdrawal-{withdrawal_flow.record_reference(record)}.html"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _statement_strings(record: WithdrawalRequest, case: Case) -> dict[str, Any]:
    """Every text of the statement in the active locale (called once per language)."""
    locale = _locale()
    sent_by = (
        gettext("Sent by the victim")
        if record.submitted_by == "victim"
        else gettext("Sent for the victim, with their consent, by their support worker (ISVA)")
    )
    return {
        "html_lang": html_lang(str(get_locale())),
        "texts": {
            "title": gettext("Statement: request to withdraw"),
            "reference": gettext(
                "Reference number: %(reference)s",
                reference=isolate_ltr_text(withdrawal_flow.record_reference(record), locale),
            ),
            "confirmed": gettext("Confirmed: %(time)s", time=_when(record.confirmed_at)),
            "case": gettext(
                "Crime reference %(reference)s",
                reference=isolate_ltr_text(case.crime_reference, locale),
            ),
            "sent_by": sent_by,
            "own_words": gettext("In their own words (as written, not translated)"),
            "nothing_written": gettext("Nothing written"),
            "reasons": gettext("Reasons"),
            "answers": gettext("Answers"),
            "check": gettext(
                "Check code (SHA-256 of the record): %(hash)s",
                hash=isolate_ltr_text(record.content_hash, locale),
            ),
        },
        "reasons": labels.reason_labels(record),
        "answers": labels.answer_rows(record),
    }


def rescind(audience: Audience, **view_args: Any):
    """Change my mind: within 28 days of confirming, a new version that takes it back;
    after that, who to contact instead."""
    posted = request.method == "POST"
    visit = _open(audience, view_args, "withdrawal.change" if posted else "withdrawal.view")
    db = get_session()
    now = utcnow()
    current = withdrawal_flow.latest(db, visit.case.id, visit.victim.id)
    if current is not None and current.status == WithdrawalStatus.RESCINDED:
        db.commit()
        return visit.go("receipt")
    summary = withdrawal_flow.summary_of(current, now)
    if summary is None or not withdrawal_flow.in_force(current):
        db.commit()
        return visit.go("resume")
    if not summary.rescindable:
        return visit.render("too_late.html", summary=summary)
    if not posted:
        return visit.render("rescind.html", summary=summary, values={"note": ""}, errors={})
    form = forms.read_note(request.form)
    if form.errors:
        return visit.render(
            "rescind.html", 400, summary=summary, values=form.values, errors=form.errors,
            anchors=form.anchors,
        )  # fmt: skip
    done = withdrawal_flow.rescind(
        db, visit.case, visit.victim.id, form.data["note"], locale=_locale(),
        acting=visit.acting, now=now,
    )  # fmt: skip
    db.commit()
    return visit.go("receipt") if done is not None else visit.go("resume")


# --- registration --------------------------------------------------------------------

PAGES: list[tuple[str, str, Callable, tuple[str, ...]]] = [
    ("resume", "/cases/<id:case_id>/withdrawal", resume, ("GET",)),
    ("help_asked", "/cases/<id:case_id>/withdrawal/help-asked", help_asked, ("GET",)),
    ("receipt", "/cases/<id:case_id>/withdrawal/receipt", receipt, ("GET",)),
    ("statement", "/cases/<id:case_id>/withdrawal/statement", statement, ("GET",)),
    ("rescind", "/cases/<id:case_id>/withdrawal/change-my-mind", rescind, ("GET", "POST")),
    ("step", "/cases/<id:case_id>/withdrawal/<step>", step, ("GET", "POST")),
]


def register(bp: Blueprint, audience: Audience, *, rule: str, guard: Callable) -> None:
    """Add the flow's pages to `bp` under `rule`, each behind `guard`."""

    def view(page: str, handler: Callable) -> Callable:
        def handle(**view_args: Any):
            return handler(audience, **view_args)

        handle.__name__ = f"{audience.prefix}_{page}"
        return guard(handle)

    bp.add_url_rule(f"{rule}/withdrawal", f"{audience.prefix}_start", view("start", start))
    for page, path, handler, methods in PAGES:
        bp.add_url_rule(
            rule + path, f"{audience.prefix}_{page}", view(page, handler), methods=methods
        )


def _victim_acting(_view_args: dict) -> tuple[Acting, int]:
    victim_id = current_victim().id
    return Acting.victim(victim_id), victim_id


VICTIM = Audience(
    blueprint="victim",
    prefix="withdrawal",
    layout=TEMPLATES + "_layout_victim.html",
    home_endpoint="victim.my_case",
    acting=_victim_acting,
)
