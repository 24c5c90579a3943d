"""Budget for the withdrawal steps on a cheap phone with poor data: each step's HTML + CSS
under 30 KB gzipped; server time median under 25 ms to show a step and under 50 ms to
save one (access check, draft update and two hash-chained audit events included).

Run with `python -m bench.withdrawal`. Measured in process with Flask's test client on an
in-memory SQLite database, so it leaves out the network and the WSGI server. The audit
trail grows as it runs, as it does in production.
"""

from __future__ import annotations

import gzip
import statistics
import time

from sqlmodel import Session, SQLModel

from portal import create_app
from portal.config import TestConfig
from portal.models import Case, CaseVictim, Victim
from portal.models.base import utcnow
from portal.services import sessions

SIZE_BUDGET_BYTES = 30 * 1024
SHOW_BUDGET_MS = 25.0
SAVE_BUDGET_MS = 50.0
ITERATIONS = 300
WARMUP = 20
LOCALES = ("en", "ar")
#: A step's good answers, saved again and again (each save is a real update and audit).
SAVES = {
    "reasons": {"reasons": ["process_too_long", "no_updates"], "own_words": "x" * 400},
    "safety": {"pressure": "no", "safe_to_contact": "yes", "safe_contact_channel": "sms"},
    "wishes": {"support_now": "no", "evidence_led": "not_sure", "keep_updates": "no",
               "talk_first": "no"},
}  # fmt: skip
SHOWN = ("reasons", "safety", "wishes", "help", "check")


def _signed_in_client(app):
    """A victim with one case, signed in, whose draft has every step answered."""
    with Session(app.extensions["db_engine"], expire_on_commit=False) as db:
        victim = Victim(name="Bench", locale="en", phone_e164="+447700900123")
        case = Case(crime_reference="99/000001/26", force="F", area="A", crime_category="X")
        db.add_all([victim, case])
        db.flush()
        db.add(CaseVictim(case_id=case.id, victim_id=victim.id))
        token = sessions.start(db, kind="victim", principal_id=victim.id, now=utcnow())
        db.commit()
    client = app.test_client()
    with client.session_transaction() as cookie:
        cookie["sid"] = token
    base = f"/my-case/cases/{case.id}/withdrawal"
    for step in ("about", *SAVES, "help"):
        assert client.post(f"{base}/{step}", data=SAVES.get(step, {})).status_code == 303
    return client, base


def _timed(request, status: int) -> list[float]:
    for _ in range(WARMUP):
        request()
    timings = []
    for _ in range(ITERATIONS):
        start = time.perf_counter()
        response = request()
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == status, response.status_code
    return timings


def _report(label: str, timings: list[float], budget: float) -> bool:
    p50 = statistics.median(timings)
    p90 = statistics.quantiles(timings, n=10)[-1]
    ok = p50 < budget
    print(
        f"{label:<28} p50 {p50:6.2f} ms, p90 {p90:6.2f} ms ({'ok' if ok else 'OVER'} < {budget:g})"
    )
    return ok


def main() -> None:
    app = create_app({**{k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()},
                      "WTF_CSRF_ENABLED": False})  # fmt: skip
    SQLModel.metadata.create_all(app.extensions["db_engine"])
    client, base = _signed_in_client(app)
    css_gzip = len(gzip.compress(client.get("/static/portal.css").data, compresslevel=6))
    within = True
    for locale in LOCALES:
        client.set_cookie("lang", locale)
        for step in SHOWN:
            html = client.get(f"{base}/{step}").data
            size = len(gzip.compress(html, compresslevel=6)) + css_gzip
            size_ok = size < SIZE_BUDGET_BYTES
            within &= size_ok
            print(f"{locale:>3} {step:<8} html {len(html):>6} B, gzip with css "
                  f"{size / 1024:5.1f} KB ({'ok' if size_ok else 'OVER'} < 30 KB)")  # fmt: skip
        within &= _report(
            f"{locale} show check", _timed(lambda: client.get(f"{base}/check"), 200), SHOW_BUDGET_MS
        )
        for step, data in SAVES.items():
            save = lambda step=step, data=data: client.post(  # noqa: E731
                f"{base}/{step}", data={**data, "change": "1"}
            )
            within &= _report(f"{locale} save {step}", _timed(save, 303), SAVE_BUDGET_MS)
    if not within:
        raise SystemExit("a withdrawal step is over its budget")


if __name__ == "__main__":
    main()
