"""The approved reply texts, labels and lines the bot may say: nothing else is ever sent.

Every string is a gettext msgid in the separate ``chatbot`` domain, marked with ``N_`` so
``pybabel extract -k N_`` finds it; translations live in
``translations/<locale>/LC_MESSAGES/chatbot.po``. Reading age about 9: plain words, short
sentences, kind to a frightened reader.
"""

from __future__ import annotations


def N_(message: str) -> str:  # noqa: N802 - the gettext marker name extraction looks for
    """Mark a string for extraction without translating it here."""
    return message


REPLIES: dict[str, str] = {
    "greeting": N_(
        "Hello. I can help with your rights as a victim of crime and with your case. "
        "What would you like to know?"
    ),
    "rights_overview": N_(
        "As a victim of crime you have 12 rights. They include help to understand, "
        "support, news about your case and the right to complain."
    ),
    "interpreter": N_(
        "You have the right to understand and to be understood. You can have an "
        "interpreter for free. Just ask."
    ),
    "crime_reference": N_(
        "When you report a crime, the police must give you a written note with your "
        "crime reference number. If you do not have it, ask for it."
    ),
    "support_services": N_(
        "You can get free support, even if you did not tell the police. This can be a "
        "support worker, an ISVA or counselling. We can refer you."
    ),
    "compensation": N_(
        "You may be able to get money for harm caused by the crime. You have the right "
        "to be told how to ask for it."
    ),
    "case_updates": N_(
        "The police must tell you about important steps in your case. You can agree how "
        "often they update you. If you have heard nothing, ask for a call back."
    ),
    "personal_statement": N_(
        "You can make a Victim Personal Statement. It tells the court how the crime has "
        "affected you. It is your choice."
    ),
    "court_and_special_measures": N_(
        "If you give evidence in court, you can ask for help. This can be a screen, a "
        "video link or someone to support you."
    ),
    "case_outcome": N_(
        "You have the right to be told the result of the case and of any appeal. If "
        "there is no charge, you can ask for a review."
    ),
    "expenses_property": N_(
        "You can claim money back for going to court, like travel. If the police took "
        "your things, like your phone, you can ask when you will get them back."
    ),
    "offender_release": N_(
        "If the offender goes to prison, you can join the Victim Contact Scheme. It "
        "tells you when they may be released and about any rules they must follow."
    ),
    "complaint": N_(
        "If your rights were not met, you can make a complaint. We will tell you how, "
        "and you will get an answer."
    ),
    "case_status_sign_in": N_(
        "To keep your details safe, we do not share them here. Please sign in to see "
        "what is happening in your case."
    ),
    "case_status_shown": N_("Here is the latest news about your case."),
    "withdraw": N_(
        "We are sorry this is hard. Before you decide, we can help: a call back, support "
        "or fewer updates. Nothing is final until you confirm."
    ),
    "danger": N_(
        "If you are in danger now, call 999. If you cannot speak, call 999 from a mobile "
        "and press 55 when asked. Go to a safe place if you can."
    ),
    "talk_to_person": N_(
        "You can talk to a person. Ask for a call back and someone will contact you at a "
        "time that is safe for you."
    ),
    "change_contact": N_(
        "You can change your number, how we contact you and safe times to contact you. "
        "You can also ask us to stop texting."
    ),
    "immigration_status": N_(
        "Your rights as a victim apply whatever your immigration status. You can get "
        "free support and ask for advice before you share anything."
    ),
    "fallback": N_(
        "Sorry, I can only help with your rights and your case. Choose a topic, or ask "
        "to talk to a person."
    ),
}

#: Crisis help for suicidal thoughts or self-harm (issue 14): warm, plain, with the numbers.
SELF_HARM = N_(
    "I am so sorry you feel like this. You are not alone. Call Samaritans free on 116 123, "
    "day or night. If you are in danger now, call 999. A person can also call you back."
)
#: Added to every danger answer: free lines open day and night.
HELPLINE = N_("National Domestic Abuse Helpline: 0808 2000 247, free, day and night.")
SAMARITANS = N_("Samaritans: 116 123, free, day and night.")
#: The same numbers by SMS to a victim in discreet mode: nothing that says what it is about.
DISCREET_LINES = N_("Someone to talk to, free, day and night: 0808 2000 247 or Samaritans 116 123.")
#: Phone numbers behind the call actions (tel: links on the web).
PHONE_NUMBERS: dict[str, str] = {
    "emergency": "999",
    "samaritans": "116123",
    "helpline": "08082000247",
}

LOW_CONFIDENCE = N_(
    "Sorry, I am not sure I understood. Is it one of these? You can also talk to a person."
)
INTERPRETER_OFFER = N_("We cannot answer in your language yet. We can get you a free interpreter.")

ACTION_LABELS: dict[str, str] = {
    "rights_page": N_("Read about this right"),
    "rights_index": N_("Read your 12 rights"),
    "sign_in": N_("Sign in to see your case"),
    "case_status": N_("Your case now"),
    "callback": N_("Ask for a call back"),
    "withdraw": N_("Stop being part of the case"),
    "change_contact": N_("Change how we contact you"),
    "interpreter": N_("Ask for an interpreter"),
    "emergency": N_("Call 999"),
    "samaritans": N_("Call Samaritans: 116 123"),
    "helpline": N_("Call the helpline: 0808 2000 247"),
    "topics": N_("See all topics"),
}

TOPIC_LABELS: dict[str, str] = {
    "rights_overview": N_("Your rights"),
    "interpreter": N_("An interpreter"),
    "crime_reference": N_("Crime reference number"),
    "support_services": N_("Support for you"),
    "compensation": N_("Compensation"),
    "case_updates": N_("News about your case"),
    "personal_statement": N_("Your personal statement"),
    "court_and_special_measures": N_("Going to court"),
    "case_outcome": N_("Result of the case"),
    "expenses_property": N_("Expenses and your things"),
    "offender_release": N_("When the offender is released"),
    "complaint": N_("Make a complaint"),
    "case_status": N_("What is happening in my case"),
    "withdraw": N_("Stop being part of the case"),
    "danger": N_("I am in danger"),
    "talk_to_person": N_("Talk to a person"),
    "change_contact": N_("Change contact details"),
    "immigration_status": N_("Immigration status"),
}
