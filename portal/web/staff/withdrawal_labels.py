"""What staff read for each withdrawal code: reasons, statuses, help asked for, evidence,
follow-ups and the dashboard's time bands. Codes stay in the database and in exports."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal.models import (
    EvidenceType,
    FollowUpAction,
    HelpOffer,
    PressureAnswer,
    RecoveryOutcome,
    WithdrawalAnswer,
    WithdrawalReason,
    WithdrawalStatus,
    YesNoNotSure,
)
from portal.services import reporting

REASONS = {
    WithdrawalReason.MOVE_ON: _l("Wants to move on"),
    WithdrawalReason.RETRAUMATISATION: _l("Does not want to relive it"),
    WithdrawalReason.FEAR_OF_OFFENDER: _l("Afraid of the suspect"),
    WithdrawalReason.PRESSURE: _l("Pressure from the suspect, family or community"),
    WithdrawalReason.RECONCILED_OR_DEPENDENT: _l("Back with, or depends on, the suspect"),
    WithdrawalReason.PROCESS_TOO_LONG: _l("The process takes too long"),
    WithdrawalReason.NO_UPDATES: _l("Not kept updated"),
    WithdrawalReason.NOT_BELIEVED: _l("Did not feel believed"),
    WithdrawalReason.TOLD_UNLIKELY_TO_SUCCEED: _l("Told the case would go nowhere"),
    WithdrawalReason.COURT_FEAR: _l("Afraid of court"),
    WithdrawalReason.DIGITAL_EVIDENCE_REQUEST: _l("Asked for their phone or other data"),
    WithdrawalReason.IMMIGRATION_FEAR: _l("Fears about immigration status"),
    WithdrawalReason.LANGUAGE_BARRIER: _l("Language barrier or poor interpreting"),
    WithdrawalReason.FAMILY_COURT_OR_CHILDREN: _l("Family court or children"),
    WithdrawalReason.ALTERNATIVE_OUTCOME: _l(
        "Wants another outcome (support, restorative justice, only on record)"
    ),
    WithdrawalReason.SAFETY_ACHIEVED: _l("Feels safe now"),
    WithdrawalReason.OTHER: _l("Other"),
}

STATUSES = {
    WithdrawalStatus.DRAFT: _l("Not finished by the victim"),
    WithdrawalStatus.SERVICE_RECOVERY: _l("Asked for help instead"),
    WithdrawalStatus.CONFIRMED: _l("Confirmed by the victim"),
    WithdrawalStatus.AWAITING_VICTIM: _l("Waiting for the victim to confirm"),
    WithdrawalStatus.ACKNOWLEDGED: _l("Confirmed and acknowledged"),
    WithdrawalStatus.DISPUTED: _l("Disputed or not answered by the victim"),
    WithdrawalStatus.RESCINDED: _l("Taken back by the victim"),
}

HELP_OFFERS = {
    HelpOffer.CALLBACK: _l("A call back"),
    HelpOffer.SUPPORT_REFERRAL: _l("Referral to support (ISVA or other)"),
    HelpOffer.FEWER_UPDATES: _l("Fewer updates"),
    HelpOffer.DIFFERENT_UPDATES: _l("Updates another way"),
    HelpOffer.ANOTHER_OFFICER: _l("Another officer"),
    HelpOffer.INTERPRETER: _l("An interpreter"),
    HelpOffer.SPECIAL_MEASURES: _l("Special measures at court"),
    HelpOffer.PROTECTIVE_ORDERS: _l("Information on protective orders"),
}

EVIDENCE = {
    EvidenceType.STATEMENT: _l("Statement"),
    EvidenceType.POCKET_NOTEBOOK: _l("Pocket notebook entry"),
    EvidenceType.BODY_WORN_VIDEO: _l("Body-worn video"),
}

FOLLOW_UPS = {
    FollowUpAction.ACKNOWLEDGED: _l("Acknowledged"),
    FollowUpAction.CALLBACK_MADE: _l("Call back made"),
    FollowUpAction.REFERRAL_MADE: _l("Referral made"),
    FollowUpAction.TRANSLATION_ASKED: _l("Asked a person to translate their words"),
    FollowUpAction.TRANSLATION_ADDED: _l("Added the translation to the file"),
    FollowUpAction.OUTCOME: _l("Outcome"),
}

OUTCOMES = {
    RecoveryOutcome.STAYED: _l("Stayed in the case"),
    RecoveryOutcome.WITHDREW: _l("Withdrew"),
    RecoveryOutcome.UNDECIDED: _l("Undecided"),
    reporting.OPEN: _l("No outcome yet"),
}

TIME_BUCKETS = {
    reporting.SAME_DAY: _l("Same day"),
    reporting.WITHIN_4_WEEKS: _l("Within 4 weeks"),
    reporting.WEEKS_4_TO_12: _l("4 to 12 weeks"),
    reporting.OVER_12_WEEKS: _l("Over 12 weeks"),
}

ALERTS = {
    "withdrawal_disputed": _l("The victim said the recorded withdrawal is wrong"),
    "withdrawal_unanswered": _l("The victim did not answer within 14 days"),
}

#: The questions beyond the reasons, as staff read them on a record.
ANSWERS = {
    WithdrawalAnswer.PRESSURE: _l("Pressured, threatened or contacted about the case"),
    WithdrawalAnswer.SUPPORT_NOW: _l("Wants support now"),
    WithdrawalAnswer.EVIDENCE_LED: _l("Content for the case to go on without their evidence"),
    WithdrawalAnswer.KEEP_UPDATES: _l("Still wants updates"),
    WithdrawalAnswer.UPDATE_CHANNELS: _l("Updates by"),
    WithdrawalAnswer.SAFE_TO_CONTACT: _l("Safe to contact"),
    WithdrawalAnswer.SAFE_CONTACT_CHANNEL: _l("Safe way to contact"),
    WithdrawalAnswer.SAFE_CONTACT_HOURS: _l("Safe times"),
    WithdrawalAnswer.TALK_FIRST: _l("Wants to talk to someone first"),
    WithdrawalAnswer.OFFICER_NOTE: _l("Officer's note"),
}
ANSWER_VALUES = {
    YesNoNotSure.YES: _l("Yes"),
    YesNoNotSure.NO: _l("No"),
    YesNoNotSure.NOT_SURE: _l("Not sure"),
    PressureAnswer.PREFER_NOT_TO_SAY: _l("Prefers not to say"),
    # Contact and update channels the victim chose (codes of the victim's answers).
    "call": _l("A phone call"),
    "sms": _l("Text message"),
    "email": _l("Email"),
    "isva": _l("Adviser"),
}


def labels() -> dict:
    """Every table above, for the templates."""
    return {
        "reasons": REASONS,
        "statuses": STATUSES,
        "help_offers": HELP_OFFERS,
        "evidence": EVIDENCE,
        "follow_ups": FOLLOW_UPS,
        "outcomes": OUTCOMES,
        "time_buckets": TIME_BUCKETS,
        "alerts": ALERTS,
        "answers": ANSWERS,
        "answer_values": ANSWER_VALUES,
    }
