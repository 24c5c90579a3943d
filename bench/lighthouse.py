"""Lighthouse on a slow phone: the victim pages that matter most, in four languages.

Run with `python -m bench lighthouse` (or `make bench`). Lighthouse comes from
bench/lighthouse/package-lock.json (`make bench` installs it with npm) and drives
Debian's Chromium through CHROME_PATH; nothing is downloaded. It uses its default mobile
settings: a mid-range phone, simulated slow 4G and a 4x slower CPU.

Each page is measured RUNS times (LIGHTHOUSE_RUNS, default 3) and the median run is
reported. Goals per page: performance at least 95, accessibility 100, best practices at least 95,
and under 50 KB transferred. The portal is served by a real HTTP server on loopback, on a
throwaway SQLite database with the demo data; "My case" is opened signed in as a demo
victim (a real server-side session in the cookie).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

from sqlmodel import Session, SQLModel, select
from werkzeug.serving import make_server

from portal import create_app, demo
from portal.config import TestConfig
from portal.models import Victim
from portal.models.base import utcnow
from portal.services import sessions

LIGHTHOUSE = Path(__file__).resolve().parent / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
PAGES = {
    "rights index": "/rights",
    "a right": "/rights/6",
    "sign-in": "/sign-in",
    "My case": "/my-case",
    "chatbot": "/chat",
}
LOCALES = ["en", "pl", "ar", "bn"]
GOALS = {"performance": 95, "accessibility": 100, "best-practices": 95}
BYTES_BUDGET = 50 * 1024
#: Runs per page; the one with the median performance score is reported, as Lighthouse's
#: own guidance advises (one run varies with whatever else the machine is doing).
RUNS = int(os.environ.get("LIGHTHOUSE_RUNS", "3"))
#: The demo victim whose "My case" is measured (English, not discreet, has an email).
DEMO_VICTIM = "Chris Jones"


def _serve(database: Path):
    """The app on a real HTTP server, and a function giving a fresh demo victim sign-in
    cookie (a victim session ends after 15 idle minutes, shorter than the whole bench)."""
    settings = {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}
    app = create_app({**settings, "DATABASE_URL": f"sqlite:///{database}"})
    engine = app.extensions["db_engine"]
    SQLModel.metadata.create_all(engine)
    with Session(engine) as db:
        demo.load(db)
        db.commit()

    def signed_in_cookie() -> str:
        with Session(engine) as db:
            victim = db.exec(select(Victim).where(Victim.name == DEMO_VICTIM)).one()
            token = sessions.start(db, kind="victim", principal_id=victim.id, now=utcnow())
            db.commit()
        cookie = app.session_interface.get_signing_serializer(app).dumps({"sid": token})
        return f"{app.config['SESSION_COOKIE_NAME']}={cookie}"

    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return app, server, signed_in_cookie


def _lighthouse(url: str, cookie: str, attempts: int = 3) -> dict:
    """One Lighthouse run. Its trace recording sometimes fails at random (NO_NAVSTART,
    "please run Lighthouse again"): such a run is tried again, up to `attempts` times."""
    command = [
        str(LIGHTHOUSE),
        url,
        "--output=json",
        "--output-path=stdout",
        "--quiet",
        "--only-categories=" + ",".join(GOALS),
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu --no-first-run",
        "--extra-headers=" + json.dumps({"Cookie": cookie}),
    ]
    env = {**os.environ, "CHROME_PATH": CHROME}
    for _ in range(attempts):
        done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)  # noqa: S603
        if done.returncode == 0:
            report = json.loads(done.stdout)
            if report["finalDisplayedUrl"] != url:  # e.g. sent to sign in: not the page
                raise RuntimeError(f"{url} ended at {report['finalDisplayedUrl']}")
            return report
    raise RuntimeError(f"lighthouse failed on {url}: {done.stderr[-2000:]}")


def _median_run(url: str, cookie: str) -> dict:
    reports = sorted(
        (_lighthouse(url, cookie) for _ in range(RUNS)),
        key=lambda report: report["categories"]["performance"]["score"],
    )
    return reports[len(reports) // 2]


def _failed_audits(report: dict, category: str) -> list[str]:
    """The audits that cost points in a category, for fixing."""
    audits = report["audits"]
    return [
        ref["id"]
        for ref in report["categories"][category]["auditRefs"]
        if ref["weight"] and (audits[ref["id"]].get("score") or 0) < 1
    ]


def main() -> None:
    if not LIGHTHOUSE.exists():
        raise SystemExit("Lighthouse is not installed: run `make bench` (it needs npm)")
    if not shutil.which(CHROME):
        raise SystemExit(f"Chromium is not installed at {CHROME}")
    over = []
    with tempfile.TemporaryDirectory() as folder:
        app, server, signed_in_cookie = _serve(Path(folder) / "bench.sqlite3")
        routes = app.url_map.bind("localhost")
        base = f"http://127.0.0.1:{server.server_port}"
        try:
            for name, path in PAGES.items():
                if not routes.test(path, method="GET"):
                    print(f"{name:<13} {path:<10} skipped: route not built yet", flush=True)
                    continue
                for locale in LOCALES:
                    report = _median_run(base + path, f"{signed_in_cookie()}; lang={locale}")
                    scores = {c: round(report["categories"][c]["score"] * 100) for c in GOALS}
                    size = report["audits"]["total-byte-weight"]["numericValue"]
                    misses = [c for c, goal in GOALS.items() if scores[c] < goal]
                    if size >= BYTES_BUDGET:
                        misses.append("bytes")
                    lost = sorted(
                        {a for c in misses if c in GOALS for a in _failed_audits(report, c)}
                    )
                    verdict = "ok" if not misses else "MISSED " + ", ".join(misses + lost)
                    print(
                        f"{name:<13} {path:<10} {locale:<3} performance {scores['performance']:>3}"
                        f"  accessibility {scores['accessibility']:>3}"
                        f"  best practices {scores['best-practices']:>3}"
                        f"  {size / 1024:4.1f} KB  {verdict}",
                        flush=True,
                    )
                    if misses:
                        over.append(f"{locale} {path}")
        finally:
            server.shutdown()
            app.extensions["db_engine"].dispose()
    if over:
        raise SystemExit(f"pages under their Lighthouse goals: {', '.join(over)}")


if __name__ == "__main__":
    main()
