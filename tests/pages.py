"""Every page a person can open, found in app.url_map, with who opens it and real ids.

The accessibility, page-weight, caching, quick-exit and discreet-mode tests all iterate
over `discover(app, world)`, so a new page is covered as soon as its GET route exists.
A new route needs at most one line here: a value for a new URL argument (ARGS), a state
held before opening it (SESSION_STATE), or the reason it is not a page (NOT_PAGES).

Each page is opened first by nobody, then by each audience in turn; it belongs to the
first one that gets it (200, HTML). Sign-in is a real server-side session
(portal.services.sessions) in a signed cookie, as after the sign-in pages; those pages
are covered on their own and by the keyboard journeys.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlmodel import Session

from portal.models.base import utcnow
from tests.people import World

#: Who opens pages, in the order tried. "public" is nobody signed in.
AUDIENCES = ("public", "victim", "officer", "supervisor", "isva", "admin")
#: The person each audience signs in as (keys of World.staff, or the victim attribute).
SIGN_IN_AS = {
    "victim": "victim_a",
    "officer": "officer_north",
    "supervisor": "supervisor_north",
    "isva": "isva_consent",
    "admin": "admin",
}
#: Blueprints for staff only: their pages have no quick exit, whoever opens them.
STAFF_BLUEPRINTS = {"staff"}

#: A real value for each URL argument, from the world (victim A's records).
ARGS: dict[str, Callable[[World], object]] = {
    "number": lambda world: 6,  # the right with the most content (the Code's deadlines)
    "case_id": lambda world: world.case_a.id,
    "victim_id": lambda world: world.victim_a.id,
    "step": lambda world: "about",  # the withdrawal flow's first step
}

#: What the browser session must hold before a page can be opened.
SESSION_STATE: dict[str, Callable[[World], dict]] = {
    # The authenticator step comes after a right password.
    "staff.enter_code": lambda world: {
        "staff_pending": [world.staff["officer_north"].id, time.time()]
    },
}

#: Blueprints and endpoints with GET routes that are not pages, and why.
NOT_PAGE_BLUEPRINTS = {
    "webhooks": "callbacks for Twilio, no page",
    "api": "JSON for police systems, no page",
    "dev": "development only, never registered in production",
}
NOT_PAGES = {
    "static": "CSS and JavaScript files",
    "public.quick_exit": "leaves the site at once (tested in tests/browser/test_quick_exit.py)",
    "staff.home": "sends each role on to its own start page",
    "staff.export_victim": "a JSON download, not a page",
    "victim.withdrawal_statement": "a file download (tests/withdrawal/flow)",
    "staff.client_withdrawal_statement": "a file download (tests/withdrawal/flow)",
    "victim.withdrawal_start": "sends the victim on to a case's first withdrawal step",
    "staff.client_withdrawal_start": "sends the ISVA on to a case's first withdrawal step",
    "victim.withdrawal_resume": "sends the victim on to the step where they stopped",
    "staff.client_withdrawal_resume": "sends the ISVA on to the step where the client stopped",
    # Pages that exist only once a withdrawal record or a help request exists: the page
    # list cannot make records yet, so these are not in the axe, reflow and focus runs.
    "victim.withdrawal_help_asked": "needs a help request (not yet in the page list)",
    "victim.withdrawal_receipt": "needs a confirmed withdrawal (not yet in the page list)",
    "victim.withdrawal_rescind": "needs a confirmed withdrawal (not yet in the page list)",
    "staff.client_withdrawal_help_asked": "needs a help request (not yet in the page list)",
    "staff.client_withdrawal_receipt": "needs a confirmed withdrawal (not yet in the page list)",
    "staff.client_withdrawal_rescind": "needs a confirmed withdrawal (not yet in the page list)",
    "staff.withdrawal_record": "needs a withdrawal record (not yet in the page list)",
    "staff.recovery_ask": "needs a help request (not yet in the page list)",
}


@dataclass(frozen=True)
class Page:
    endpoint: str
    path: str
    audience: str
    #: What the signed cookie holds when the page is opened (the sign-in, a pending step).
    state: dict = field(default_factory=dict, hash=False, compare=False)

    @property
    def for_victims(self) -> bool:
        """A page a victim may see: quick exit, the online-safety link, discreet titles."""
        blueprint = self.endpoint.rpartition(".")[0]
        return self.audience in ("public", "victim") and blueprint not in STAFF_BLUEPRINTS

    def __str__(self) -> str:
        return f"{self.path} ({self.audience})"


def signed_in_state(app, world: World, audience: str) -> dict:
    """The cookie content of a fresh sign-in for `audience` (nothing for "public")."""
    if audience == "public":
        return {}
    who = SIGN_IN_AS[audience]
    kind, principal = (
        ("victim", getattr(world, who)) if audience == "victim" else ("staff", world.staff[who])
    )
    with Session(app.extensions["db_engine"]) as db:
        store = app.extensions["session_store"]
        token = store.start(db, kind=kind, principal_id=principal.id, now=utcnow())
        db.commit()
    return {"sid": token}


def cookie_value(app, state: dict) -> str:
    """`state` signed as Flask signs its session cookie."""
    return app.session_interface.get_signing_serializer(app).dumps(state)


def open_in_client(client, app, page: Page, locale: str = "en"):
    """GET the page with its state and language, as a browser would."""
    client.set_cookie(app.config["SESSION_COOKIE_NAME"], cookie_value(app, page.state))
    client.set_cookie("lang", locale)
    return client.get(page.path)


def _is_page(response) -> bool:
    return response.status_code == 200 and response.mimetype == "text/html"


def _skipped(rule) -> bool:
    blueprint = rule.endpoint.rpartition(".")[0]
    return rule.endpoint in NOT_PAGES or blueprint in NOT_PAGE_BLUEPRINTS


def get_routes(app) -> list:
    """Every GET rule that should be a page."""
    rules = [r for r in app.url_map.iter_rules() if "GET" in r.methods and not _skipped(r)]
    return sorted(rules, key=lambda rule: rule.rule)


def discover(app, world: World) -> list[Page]:
    """Every page with the first audience that can open it. Raises, naming the route,
    when a URL argument has no value in ARGS or nobody can open a route."""
    adapter = app.url_map.bind("localhost")
    client = app.test_client()
    states = {audience: signed_in_state(app, world, audience) for audience in AUDIENCES}
    pages = []
    for rule in get_routes(app):
        missing = rule.arguments - ARGS.keys()
        if missing:
            raise LookupError(f"{rule.rule}: add a value for {sorted(missing)} to ARGS")
        path = adapter.build(rule.endpoint, {name: ARGS[name](world) for name in rule.arguments})
        extra = SESSION_STATE.get(rule.endpoint, lambda _world: {})(world)
        for audience in AUDIENCES:
            page = Page(rule.endpoint, path, audience, {**states[audience], **extra})
            if _is_page(open_in_client(client, app, page)):
                pages.append(page)
                break
        else:
            raise LookupError(
                f"{rule.rule}: nobody could open it; add a SESSION_STATE step or a NOT_PAGES reason"
            )
    return pages
