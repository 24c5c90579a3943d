"""The ISVA dashboard counts each client case's unconfirmed withdrawal requests."""

import re

from portal.models import WithdrawalRequest, WithdrawalStatus
from portal.services import withdrawal
from tests.people import sign_in_staff


def test_dashboard_shows_pending_withdrawals_per_case(app, session, world):
    for version, status in enumerate(
        [WithdrawalStatus.DRAFT, WithdrawalStatus.SERVICE_RECOVERY, WithdrawalStatus.CONFIRMED],
        start=1,
    ):
        session.add(
            WithdrawalRequest(
                case_id=world.case_a.id, victim_id=world.victim_a.id, version=version, status=status
            )
        )
    session.commit()
    assert withdrawal.pending_counts(session, [world.case_a.id, world.case_b.id]) == {
        world.case_a.id: 2
    }
    client = app.test_client()
    sign_in_staff(client, world.staff["isva_consent"])
    page = client.get("/staff/clients").get_data(as_text=True)
    row = re.search(rf"{re.escape(world.case_a.crime_reference)}.*?</tr>", page, re.S).group(0)
    assert row.rstrip().endswith("<td>2</td></tr>")
