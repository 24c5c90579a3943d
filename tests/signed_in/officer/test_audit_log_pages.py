"""Supervisors see whether a case's audit entries are in the signed, witnessed log, and
staff see how far the audit sequencer is behind (docs/audit.md: the honest window)."""

import re

from sqlmodel import Session

from jobs.sweeps import sequence_audit
from portal.services import audit
from tests.people import sign_in_staff


def _coverage(page: str) -> tuple[int, int, int]:
    found = re.search(
        r"(\d+) of (\d+) entries are in the signed log, and (\d+) are in a checkpoint", page
    )
    return tuple(int(n) for n in found.groups())


def test_the_audit_page_shows_which_entries_are_signed_witnessed_or_waiting(
    app, client, world, tmp_path
):
    app.config["AUDIT_WITNESS_DIR"] = str(tmp_path / "witness")
    sign_in_staff(client, world.staff["supervisor_north"])
    url = f"/staff/cases/{world.case_a.id}/audit"
    first = client.get(url).get_data(as_text=True)
    signed, total, witnessed = _coverage(first)
    assert signed == witnessed == 0 and total >= 1 and "Waiting" in first
    sequence_audit(app)
    page = client.get(url).get_data(as_text=True)  # this view is itself a new entry
    signed, total, witnessed = _coverage(page)
    assert signed == witnessed == total - 1
    assert page.count("<td>Witnessed</td>") == total - 1 and page.count("<td>Waiting</td>") == 1


def test_without_a_witness_entries_are_signed_but_not_witnessed(app, client, world):
    app.config["AUDIT_WITNESS_DIR"] = ""
    sign_in_staff(client, world.staff["supervisor_north"])
    url = f"/staff/cases/{world.case_a.id}/audit"
    client.get(url)
    sequence_audit(app)
    signed, total, witnessed = _coverage(client.get(url).get_data(as_text=True))
    assert (signed, witnessed) == (total - 1, 0)


def _append(app) -> None:
    with Session(app.extensions["db_engine"]) as db:
        audit.record(db, actor="staff:1", action="victim.view", subject="victim:1")
        db.commit()


def test_the_health_page_shows_the_lag_and_alerts_past_the_limit(app, client, world, tmp_path):
    app.config.update(AUDIT_WITNESS_DIR=str(tmp_path / "witness"), AUDIT_LAG_ALERT_SECONDS=0)
    sign_in_staff(client, world.staff["admin"])
    _append(app)
    sequence_audit(app)
    calm = client.get("/staff/health").get_data(as_text=True)
    assert "0 entries are waiting to be added to the signed log" in calm
    assert "Alert:" not in calm
    with Session(app.extensions["db_engine"]) as db:
        size = audit.lag(db).tree_size
    assert size >= 1
    assert f"The signed log holds {size} entries." in calm
    assert f"The witness holds a checkpoint of {size} entries." in calm
    _append(app)
    behind = client.get("/staff/health").get_data(as_text=True)
    assert "1 entries are waiting" in behind
    assert "Alert: the audit log is more than 0 seconds behind." in behind


def test_officers_and_advocates_do_not_see_the_health_page(app, client, world):
    for who in ("officer_north", "isva_consent"):
        sign_in_staff(client, world.staff[who])
        assert client.get("/staff/health").status_code in (403, 404)
        client.post("/staff/sign-out")
