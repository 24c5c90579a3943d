"""The ISVA's client list shows where each client's withdrawal stands: the newest
version's status (a confirmed one included) and the safeguarding flag."""

import re

from portal.models import WithdrawalRequest, WithdrawalStatus
from tests.people import sign_in_staff


def _row(page: str, reference: str) -> str:
    return re.search(rf"{re.escape(reference)}.*?</tr>", page, re.S).group(0)


def test_the_client_list_shows_a_confirmed_withdrawal_and_its_safeguarding_flag(
    app, session, world
):
    for version, status in enumerate(
        [WithdrawalStatus.DRAFT, WithdrawalStatus.SERVICE_RECOVERY, WithdrawalStatus.CONFIRMED],
        start=1,
    ):
        session.add(
            WithdrawalRequest(
                case_id=world.case_a.id,
                victim_id=world.victim_a.id,
                version=version,
                status=status,
                safeguarding_flag=status == WithdrawalStatus.CONFIRMED,
            )
        )
    session.commit()
    client = app.test_client()
    client.set_cookie("lang", "en")
    sign_in_staff(client, world.staff["isva_consent"])
    page = client.get("/staff/clients").get_data(as_text=True)
    row = _row(page, world.case_a.crime_reference)
    assert "Confirmed by the victim" in row and "Safeguarding concern" in row
    assert 'href="/staff/clients"' in page  # the way back to this list, from every page


def test_a_client_without_a_withdrawal_says_so(app, session, world):
    client = app.test_client()
    client.set_cookie("lang", "en")
    sign_in_staff(client, world.staff["isva_consent"])
    page = client.get("/staff/clients").get_data(as_text=True)
    assert "No withdrawal has been recorded." in _row(page, world.case_a.crime_reference)
