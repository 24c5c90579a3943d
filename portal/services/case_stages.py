"""The stages of a case as a victim sees them: names in plain words, and a timeline."""

from __future__ import annotations

from flask_babel import force_locale, lazy_gettext

from portal.models import CaseStage

#: The usual path of a case, as the victim sees it.
MAIN_PATH = (
    CaseStage.REPORTED,
    CaseStage.INVESTIGATING,
    CaseStage.SUSPECT_ARRESTED,
    CaseStage.CHARGED,
    CaseStage.AWAITING_TRIAL,
    CaseStage.TRIAL,
    CaseStage.CONCLUDED,
)
#: Stages off the main path, shown in place of the step they follow.
SIDE_STAGES = {
    CaseStage.RELEASED_UNDER_INVESTIGATION: CaseStage.SUSPECT_ARRESTED,
    CaseStage.BAILED: CaseStage.SUSPECT_ARRESTED,
    CaseStage.NO_FURTHER_ACTION: CaseStage.CONCLUDED,
}
STAGE_NAMES = {
    CaseStage.REPORTED: lazy_gettext("You reported the crime"),
    CaseStage.INVESTIGATING: lazy_gettext("The police are looking into it"),
    CaseStage.SUSPECT_ARRESTED: lazy_gettext("Someone was arrested"),
    CaseStage.RELEASED_UNDER_INVESTIGATION: lazy_gettext(
        "The suspect was let go while the police keep looking into it"
    ),
    CaseStage.BAILED: lazy_gettext("The suspect is on bail, with rules to follow"),
    CaseStage.CHARGED: lazy_gettext("Someone was charged with the crime"),
    CaseStage.NO_FURTHER_ACTION: lazy_gettext("The police have stopped the case"),
    CaseStage.AWAITING_TRIAL: lazy_gettext("Waiting for the trial"),
    CaseStage.TRIAL: lazy_gettext("The trial"),
    CaseStage.CONCLUDED: lazy_gettext("The case has ended"),
}
STATUS_NAMES = {
    "queued": lazy_gettext("Waiting to send"),
    "sending": lazy_gettext("Sending"),
    "sent": lazy_gettext("Sent"),
    "delivered": lazy_gettext("Delivered"),
    "failed": lazy_gettext("Not delivered"),
    "cancelled": lazy_gettext("Not sent"),
}


def timeline(stage: str) -> list[tuple[str, str]]:
    """(name, "done" | "now" | "later") for each step, the current one in place."""
    anchor = SIDE_STAGES.get(stage, stage)
    position = MAIN_PATH.index(anchor) if anchor in MAIN_PATH else 0
    steps = []
    for index, step in enumerate(MAIN_PATH):
        shown = stage if step == anchor else step
        state = "done" if index < position else "now" if index == position else "later"
        steps.append((STAGE_NAMES[CaseStage(shown)], state))
    return steps


def stage_name(stage: str, locale: str) -> str:
    """The stage in plain words in `locale` (for a text sent to one victim)."""
    with force_locale(locale):
        return str(STAGE_NAMES[CaseStage(stage)])
