from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from flask import abort, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from portal.db import get_session
from portal.services import interpreter, rights
from portal.services.validation import written
from portal.web.auth import current_victim
from portal.web.fragments import page_for_anyone, same_for_everyone

from . import bp

#: The day the current Victims' Code came into force.
CODE_IN_FORCE = date(2021, 4, 1)

CONTACT_LABELS = {
    "phone": _l("A phone call"),
    "text": _l("A text message"),
    "email": _l("An email"),
    "in_person": _l("In person"),
    "advocate": _l("Through my support worker or advocate"),
}


@bp.get("/rights")
def index() -> str:
    return page_for_anyone("rights/index.html", None, rights=rights.RIGHTS, in_force=CODE_IN_FORCE)


@bp.get("/rights/<id:number>")
def right(number: int) -> str:
    found = rights.get_right(number)
    if found is None:
        abort(404)
    body = same_for_everyone(
        "rights/_right_body.html",
        number,
        right=found,
        previous=rights.get_right(number - 1),
        next=rights.get_right(number + 1),
        total=len(rights.RIGHTS),
    )
    return page_for_anyone("rights/right.html", number, right=found, body=body)


@bp.get("/rights/what-happens-next")
def what_happens_next() -> str:
    return render_template("rights/what_happens_next.html", steps=rights.JOURNEY)


@bp.get("/rights/enhanced")
def enhanced() -> str:
    return render_template(
        "rights/enhanced.html",
        intro=rights.ENHANCED_INTRO,
        groups=rights.ENHANCED_GROUPS,
        deadlines=rights.get_right(6).deadlines,
    )


@bp.get("/rights/print")
def printable() -> str:
    return render_template("rights/print.html", rights=rights.RIGHTS, printed_at=datetime.now(UTC))


@dataclass
class InterpreterForm:
    """What the visitor typed, and what is wrong with it (field name -> message)."""

    language: str = ""
    dialect: str = ""
    contact_how: str = ""
    contact_when: str = ""
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_request(cls) -> InterpreterForm:
        form = cls(
            language=written(request.form.get("language")),
            dialect=written(request.form.get("dialect")),
            contact_how=request.form.get("contact_how", ""),
            contact_when=written(request.form.get("contact_when")),
        )
        form.validate()
        return form

    def validate(self) -> None:
        if not self.language:
            self.errors["language"] = _l("Tell us which language you need.")
        elif len(self.language) > interpreter.LANGUAGE_MAX:
            self.errors["language"] = _l(
                "Use %(count)s characters or fewer.", count=interpreter.LANGUAGE_MAX
            )
        if len(self.dialect) > interpreter.DIALECT_MAX:
            self.errors["dialect"] = _l(
                "Use %(count)s characters or fewer.", count=interpreter.DIALECT_MAX
            )
        if self.contact_how not in interpreter.CONTACT_METHODS:
            self.errors["contact_how"] = _l("Choose how we should contact you.")
        if len(self.contact_when) > interpreter.CONTACT_WHEN_MAX:
            self.errors["contact_when"] = _l(
                "Use %(count)s characters or fewer.", count=interpreter.CONTACT_WHEN_MAX
            )


def _render_form(form: InterpreterForm, status: int = 200) -> tuple[str, int]:
    page = render_template(
        "rights/interpreter.html",
        form=form,
        contact_labels=CONTACT_LABELS,
        signed_in=current_victim() is not None,
    )
    return page, status


@bp.get("/interpreter")
def interpreter_form() -> tuple[str, int]:
    return _render_form(InterpreterForm())


@bp.post("/interpreter")
def interpreter_submit() -> Response | tuple[str, int] | str:
    form = InterpreterForm.from_request()
    if form.errors:
        return _render_form(form, status=400)
    victim = current_victim()
    if victim is None:
        # Anonymous: nothing is stored. Explain how to ask, with their answers to hand.
        note = interpreter.note_for_police(
            form.language, form.dialect, form.contact_how, form.contact_when
        )
        return render_template("rights/interpreter_how_to_ask.html", police_note=note)
    session = get_session()
    interpreter.record_request(
        session,
        victim,
        form.language,
        form.dialect,
        form.contact_how,
        form.contact_when,
        actor=f"victim:{victim.id}",
    )
    session.commit()
    return redirect(url_for("rights.interpreter_saved"), code=303)


@bp.get("/interpreter/saved")
def interpreter_saved() -> str:
    return render_template("rights/interpreter_saved.html")
