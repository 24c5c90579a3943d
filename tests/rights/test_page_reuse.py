"""Rights pages are reused for visitors the app knows nothing about, each with a form
token of their own; anyone signed in, or with a sign-in under way, gets a fresh page."""

import re

from sqlmodel import Session, SQLModel

from tests.people import build_world, sign_in_victim
from tests.support.apps import make_app, make_test_app

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def test_each_visitor_gets_their_own_working_form_token_on_a_reused_page():
    app = make_app()
    first, second = app.test_client(), app.test_client()
    pages = [client.get("/rights/6").get_data(as_text=True) for client in (first, second)]
    tokens = [TOKEN.search(page).group(1) for page in pages]
    assert tokens[0] != tokens[1]
    assert TOKEN.sub("", pages[0]) == TOKEN.sub("", pages[1])  # the same page otherwise
    for client, token in zip((first, second), tokens, strict=True):
        chosen = client.post("/language", data={"csrf_token": token, "locale": "cy"})
        assert chosen.status_code == 303
    welsh = first.get("/rights/6").get_data(as_text=True)
    assert 'lang="cy"' in welsh and TOKEN.sub("", welsh) != TOKEN.sub("", pages[0])


def test_a_signed_in_victim_reads_the_rights_in_their_own_language():
    app = make_test_app()
    SQLModel.metadata.create_all(app.extensions["db_engine"])
    with Session(app.extensions["db_engine"], expire_on_commit=False) as session:
        world = build_world(session)
        anonymous = app.test_client().get("/rights/6").get_data(as_text=True)
        victim = app.test_client()
        sign_in_victim(victim, session, world.case_a.crime_reference)
    mine = victim.get("/rights/6").get_data(as_text=True)
    assert 'lang="pl"' in mine and 'lang="en"' in anonymous  # victim A reads Polish
