"""The 12 rights of the Victims' Code (England and Wales), in plain English.

Written for a reading age of about 9: short sentences, kind and honest. Every string is
a lazy gettext message in the `messages` domain, so it is shown in the reader's language.
Deadlines are numbers, not text: the page words them with ngettext ("1 working day",
"5 working days"), so each language gets its own plural forms.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from portal.i18n import ltr_isolated

#: Where the Code says how fast the police must tell a victim: 5 working days, or
#: 1 working day for a victim with enhanced rights.
STANDARD_DAYS = 5
ENHANCED_DAYS = 1

COMPLAINTS_RIGHT = 12


@dataclass(frozen=True)
class Deadline:
    """Something the victim must be told, and how many working days it may take."""

    event: LazyString
    days: int
    #: Working days for a victim with enhanced rights; None when it is the same.
    enhanced_days: int | None = None


def _default_if_not_met() -> LazyString:
    return _l(
        "If this does not happen, you can complain. It is your right, and it will not "
        "harm your case."
    )


def _default_help() -> tuple[LazyString, ...]:
    return (
        _l("Ask the officer in your case. You can find them by calling 101."),
        _l(
            "Victim Support can help, even if you did not report the crime. Call %(phone)s "
            "for free, at any time.",
            phone=ltr_isolated("08 08 16 89 111"),
        ),
    )


@dataclass(frozen=True)
class Right:
    number: int
    slug: str
    title: LazyString
    summary: LazyString
    #: "What this means for you": short paragraphs.
    meaning: tuple[LazyString, ...]
    #: "What you can ask for": a list.
    ask_for: tuple[LazyString, ...]
    deadlines: tuple[Deadline, ...] = ()
    if_not_met: LazyString = field(default_factory=_default_if_not_met)
    help: tuple[LazyString, ...] = field(default_factory=_default_help)


RIGHTS: tuple[Right, ...] = (
    Right(
        number=1,
        slug="understand",
        title=_l("To understand and be understood"),
        summary=_l("You can get help to understand and to be understood, in your language."),
        meaning=(
            _l("Everyone who helps you must use words you can understand."),
            _l(
                "If English is hard for you, you can have an interpreter. An interpreter "
                "speaks your language and English. It is free."
            ),
            _l("You can ask for important papers to be translated into your language."),
            _l("If you have a disability, or find reading hard, you can ask for help too."),
        ),
        ask_for=(
            _l("An interpreter when you report the crime."),
            _l("An interpreter when you give a statement."),
            _l("An interpreter who speaks your dialect, if that matters to you."),
            _l("Translation of the letter that says you reported the crime."),
            _l("Someone to come with you, if that helps you."),
        ),
    ),
    Right(
        number=2,
        slug="crime-recorded",
        title=_l("To have the crime recorded without delay"),
        summary=_l("When you tell the police about a crime, they must write it down."),
        meaning=(
            _l("The police must record the crime without any delay that they cannot explain."),
            _l(
                "You do not need proof to report a crime. You will be believed and "
                "treated with respect."
            ),
            _l("If someone else reports the crime for you, you have this right too."),
        ),
        ask_for=(
            _l("To report the crime in a way that feels safe for you."),
            _l("To have a friend, family member or support worker with you."),
            _l("To know your crime reference number."),
        ),
    ),
    Right(
        number=3,
        slug="information-when-reporting",
        title=_l("To be given information when you report the crime"),
        summary=_l("You must be told what happens next and where to get support."),
        meaning=(
            _l(
                "After you report a crime, the police must give you a letter or email. "
                "It says that you reported the crime, and gives your crime reference "
                "number."
            ),
            _l("They must tell you what happens next, and how to get support."),
            _l(
                "They must tell you about restorative justice. This is a chance to talk "
                "with the person who harmed you, only if you want to and it is safe."
            ),
        ),
        ask_for=(
            _l("A written note that you reported the crime."),
            _l("Your crime reference number."),
            _l("The name of the officer in your case, and how to reach them."),
            _l("Information about support services near you."),
        ),
    ),
    Right(
        number=4,
        slug="support-services",
        title=_l("To be referred to support services"),
        summary=_l("You can get support, even if you did not report the crime."),
        meaning=(
            _l(
                "The police must ask what help you need. Then they can pass your details "
                "to a support service, if you agree."
            ),
            _l(
                "Support services are free. They listen, help you feel safer and explain "
                "what is happening."
            ),
            _l(
                "If you are afraid to go to court, you may get special help there. "
                "For example, a screen so you cannot see the defendant, or giving "
                "evidence by video link."
            ),
        ),
        ask_for=(
            _l("To be asked what support you need."),
            _l("A referral to a support service."),
            _l("An independent advocate, for example for domestic abuse or sexual violence."),
            _l("Special help at court, if you are afraid or vulnerable."),
        ),
    ),
    Right(
        number=5,
        slug="compensation",
        title=_l("To be given information about compensation"),
        summary=_l("You must be told how you might get money for harm you suffered."),
        meaning=(
            _l("Compensation is money to help make up for harm, injury or loss."),
            _l("A court can order the offender to pay you compensation."),
            _l(
                "If you were hurt in a violent crime, you may be able to ask a government "
                "scheme for compensation. This can happen even if no one is charged."
            ),
        ),
        ask_for=(
            _l("Information about how compensation works."),
            _l("Help to fill in a compensation form."),
        ),
    ),
    Right(
        number=6,
        slug="investigation",
        title=_l("To be given information about the investigation"),
        summary=_l("You must be told about important steps in your case."),
        meaning=(
            _l(
                "The police must tell you about important steps in their investigation. "
                "They must do this within a set time."
            ),
            _l(
                "You can agree how often you get updates, and how. For example, by phone, "
                "text message or email."
            ),
            _l(
                "If it is not safe to contact you in some ways, tell the police. They must "
                "respect this."
            ),
        ),
        ask_for=(
            _l("Updates as often as you agreed."),
            _l("Updates in a way that is safe for you."),
            _l("An explanation of any decision, in words you understand."),
        ),
        deadlines=(
            Deadline(_l("A suspect is arrested"), STANDARD_DAYS, ENHANCED_DAYS),
            Deadline(_l("A suspect is charged"), STANDARD_DAYS, ENHANCED_DAYS),
            Deadline(_l("A suspect is released without charge"), STANDARD_DAYS, ENHANCED_DAYS),
            Deadline(_l("A suspect is released under investigation"), STANDARD_DAYS, ENHANCED_DAYS),
            Deadline(
                _l("A suspect is given bail, and any bail conditions"), STANDARD_DAYS, ENHANCED_DAYS
            ),
            Deadline(_l("The case is dealt with out of court"), STANDARD_DAYS, ENHANCED_DAYS),
            Deadline(_l("The reasons why the case will not go on"), STANDARD_DAYS),
        ),
    ),
    Right(
        number=7,
        slug="personal-statement",
        title=_l("To make a Victim Personal Statement"),
        summary=_l("You can say in your own words how the crime has affected you."),
        meaning=(
            _l(
                "A Victim Personal Statement tells the court how the crime changed your "
                "life. For example, your health, your money, your family or your feelings."
            ),
            _l("You can choose to make one, or not. It is up to you."),
            _l(
                "If someone is found guilty, the court will think about your statement. "
                "You can ask to read it out in court, or have someone read it for you."
            ),
        ),
        ask_for=(
            _l("To make a statement when you give evidence, or later."),
            _l("To add to your statement if things change."),
            _l("To be told how your statement will be used."),
        ),
    ),
    Right(
        number=8,
        slug="trial",
        title=_l("To be given information about the trial"),
        summary=_l("You must be told about court dates and what happens at court."),
        meaning=(
            _l("If there is a trial, you must be told when and where it is."),
            _l(
                "If you are a witness, someone will explain what happens at court, and "
                "what you need to do."
            ),
            _l("You can visit the court before the trial, so you know what it looks like."),
        ),
        ask_for=(
            _l("The date, time and place of each hearing."),
            _l("A visit to the court before the trial."),
            _l("A separate waiting room, away from the defendant."),
            _l("Special help to give evidence, if you need it."),
        ),
    ),
    Right(
        number=9,
        slug="outcome",
        title=_l("To be given information about the outcome"),
        summary=_l("You must be told the result of the case, and about any appeal."),
        meaning=(
            _l(
                "You must be told the result of the case. If someone is found guilty, you "
                "must be told their sentence."
            ),
            _l("If there is an appeal, you must be told about it."),
            _l(
                "If the police or prosecutors decide not to charge anyone, you can ask "
                "them to look at the decision again. This is called a review. Ask as soon "
                "as you can."
            ),
        ),
        ask_for=(
            _l("The result of the case, and what it means."),
            _l("The reasons for a decision not to charge."),
            _l("A review of a decision not to charge."),
        ),
        deadlines=(Deadline(_l("The reasons why the case will not go on"), STANDARD_DAYS),),
    ),
    Right(
        number=10,
        slug="expenses-property",
        title=_l("To be paid expenses and have property returned"),
        summary=_l("You can get back costs for going to court, and get your things back."),
        meaning=(
            _l(
                "If you go to court as a witness, you can ask for some costs to be paid. "
                "For example, travel, food or lost wages."
            ),
            _l(
                "If the police took your things as evidence, they must give them back as "
                "soon as they can."
            ),
        ),
        ask_for=(
            _l("A form to claim your expenses."),
            _l("To know when your things will be returned."),
            _l("To get your things back quickly, if you need them."),
        ),
    ),
    Right(
        number=11,
        slug="offender-information",
        title=_l("To be given information about the offender"),
        summary=_l("You may be told about the offender after they are sentenced."),
        meaning=(
            _l(
                "If the offender is sent to prison for a serious violent or sexual crime, "
                "you may join the Victim Contact Scheme."
            ),
            _l(
                "The scheme can tell you when the offender may be released. You can also "
                "ask for conditions on their release. For example, that they must not "
                "contact you."
            ),
        ),
        ask_for=(
            _l("To join the Victim Contact Scheme, if you can."),
            _l("To say what conditions you want on the offender's release."),
        ),
    ),
    Right(
        number=12,
        slug="complaints",
        title=_l("To make a complaint"),
        summary=_l("You can complain if your rights are not met."),
        meaning=(
            _l(
                "If any of your rights are not met, you can complain to the organisation "
                "that let you down. For example, the police or the court."
            ),
            _l("Complaining will not harm your case. You will be treated fairly."),
            _l(
                "If you are not happy with their answer, a Member of Parliament can pass "
                "your complaint to the Ombudsman. The Ombudsman is independent."
            ),
        ),
        ask_for=(
            _l("Help to make a complaint."),
            _l("A reply that explains what they will do."),
            _l("Your complaint in your own language."),
        ),
        if_not_met=_l(
            "If you are not happy with how your complaint was handled, ask your Member "
            "of Parliament to send it to the Ombudsman."
        ),
    ),
)

_BY_NUMBER = {right.number: right for right in RIGHTS}


def get_right(number: int) -> Right | None:
    return _BY_NUMBER.get(number)


@dataclass(frozen=True)
class JourneyStep:
    key: str
    title: LazyString
    text: LazyString


JOURNEY: tuple[JourneyStep, ...] = (
    JourneyStep(
        "report",
        _l("You report the crime"),
        _l(
            "You tell the police what happened. They record the crime and give you a "
            "crime reference number. They ask what support you need."
        ),
    ),
    JourneyStep(
        "investigation",
        _l("The police investigate"),
        _l(
            "The police look for evidence and may talk to a suspect. This can take a long "
            "time. You will get updates, as often as you agreed."
        ),
    ),
    JourneyStep(
        "charge",
        _l("A decision about a charge"),
        _l(
            "The police or prosecutors decide if there is enough evidence to charge "
            "someone. If they decide not to, you can ask for a review."
        ),
    ),
    JourneyStep(
        "court",
        _l("Court"),
        _l(
            "If someone is charged, the case goes to court. You may be asked to be a "
            "witness. You can get help before and at court."
        ),
    ),
    JourneyStep(
        "outcome",
        _l("The outcome"),
        _l(
            "The court decides if the person is guilty, and what the sentence is. You "
            "will be told the result. Support is there for you after the case, too."
        ),
    ),
)


#: Who has enhanced rights (from the Code): one short line each.
ENHANCED_GROUPS: tuple[LazyString, ...] = (
    _l("Victims of the most serious crimes, including domestic abuse."),
    _l("Victims who are targeted again and again."),
    _l("Victims who are vulnerable or frightened. Everyone under 18 is in this group."),
)

ENHANCED_INTRO: tuple[LazyString, ...] = (
    _l("Some victims get extra help. This is called enhanced rights."),
    _l(
        "With enhanced rights, the police must tell you about important steps in your "
        "case faster. The table below shows how fast."
    ),
    _l(
        "You may also get special help at court, and you are offered a needs assessment "
        "and support."
    ),
    _l("If you think you should have enhanced rights, ask the officer in your case."),
)
