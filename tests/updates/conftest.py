from __future__ import annotations

import pytest

from portal.models import Case, CaseVictim, Role, StaffUser, Victim
from portal.providers.sms.base import SmsProvider


class FakeSms(SmsProvider):
    """Records what would have been sent; raises the errors it is told to."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []
        self.errors: list[Exception] = []

    def send_sms(self, *, to: str, body: str, reference: str) -> str:
        if self.errors:
            raise self.errors.pop(0)
        self.sent.append((to, body))
        return f"SM{len(self.sent)}"


class FakeEmail:
    def __init__(self) -> None:
        self.sent: list[tuple[str, str, str]] = []

    def send_email(self, *, to, subject, text, html, reference) -> str:
        self.sent.append((to, subject, text))
        return f"<{len(self.sent)}@test>"


@pytest.fixture
def sms():
    return FakeSms()


@pytest.fixture
def email():
    return FakeEmail()


@pytest.fixture
def make_case(session):
    def make(
        *,
        reference: str = "NW/1/26",
        enhanced: bool = False,
        area: str = "North",
        victims: list[dict] | None = None,
    ) -> Case:
        officer = StaffUser(
            email=f"officer-{reference}@police.example",
            name="Officer",
            role=Role.OFFICER,
            organisation="Force",
            area=area,
            password_hash="not-a-real-hash",  # noqa: S106
        )
        session.add(officer)
        session.flush()
        case = Case(
            crime_reference=reference,
            force="Force",
            area=area,
            crime_category="assault",
            enhanced_rights=enhanced,
            officer_id=officer.id,
        )
        session.add(case)
        session.flush()
        for fields in victims or [{}]:
            victim = Victim(
                **{
                    "name": "Victim",
                    "locale": "en",
                    "phone_e164": "+447700900001",
                    "email": "v@example.com",
                    **fields,
                }
            )
            session.add(victim)
            session.flush()
            session.add(CaseVictim(case_id=case.id, victim_id=victim.id))
        session.commit()
        return case

    return make
