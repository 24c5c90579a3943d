"""Arabic messages address every reader, not men only (issue 18, fault 7).

Written Arabic shows the reader's gender in imperatives ("اتصل" / "اتصلي"), in present
verbs after "أن" and in the second person ("تريد" / "تريدين"), and in adjectives
("آمن" / "آمنة"). As GOV.UK Arabic content does, the SMS and email texts use forms that
read the same for everyone: "يُرجى الاتصال", "يمكنك طلب", verbal nouns, "عند الحاجة".
The web pages' catalog still needs the same rewrite (translations/README.md).
"""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
#: Forms that address a man only.
MASCULINE_ONLY = re.compile(
    r"(^|[\s،.:])(اتصل|احتفظ|تواصل معنا|أخبرنا|اسألنا|اطلب|ردّ|أجب|سجّل الدخول)([\s،.:]|$)"
    r"|أن (تطلب|تسأل|تقدّم|تخبر|تعرف)|(^|\s)(تريد|تحتاج|تستطيع)(\s|$|ه)|غير آمن(\s|[،.]|$)"
)


def test_arabic_messages_address_every_reader():
    path = ROOT / "translations" / "ar" / "LC_MESSAGES" / "notifications.po"
    masculine = [
        message.string
        for message in read_po(path.open("rb"))
        if message.id and MASCULINE_ONLY.search(message.string)
    ]
    assert not masculine, "\n".join(masculine)


def test_the_check_sees_a_masculine_imperative():
    assert MASCULINE_ONLY.search("إذا شعرت بأنك غير آمن، اتصل بالرقم 999.")
    assert not MASCULINE_ONLY.search("عند الشعور بعدم الأمان، يُرجى الاتصال بالرقم 999.")


def test_arabic_yes_no_questions_address_every_reader():
    """The withdrawal questions (translations/glossary/ask_positively.toml) in Arabic."""
    import tomllib

    listed = tomllib.loads((ROOT / "translations/glossary/ask_positively.toml").read_text())
    catalogs = {
        domain: read_po((ROOT / "translations/ar/LC_MESSAGES" / f"{domain}.po").open("rb"))
        for domain in ("messages", "notifications")
    }
    masculine = []
    for question in listed["question"]:
        text = catalogs[question["domain"]].get(question["msgid"]).string
        if MASCULINE_ONLY.search(text):
            masculine.append(text)
    assert not masculine, "\n".join(masculine)
