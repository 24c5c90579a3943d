"""Signing out clears the site's cookies; the page that follows stays in the victim's language."""

from flask_babel import force_locale, gettext

from tests.people import sign_in_victim


def test_signed_out_page_is_in_the_victims_language(app, client, session, world):
    victim = world.victim_a
    victim.locale = "pt_BR"
    session.add(victim)
    session.commit()
    sign_in_victim(client, session, "01/000001/26")
    out = client.post("/sign-out")
    # What a browser does with Clear-Site-Data: every cookie of the site is gone.
    client._cookies.clear()
    page = client.get(out.headers["Location"]).get_data(as_text=True)
    with app.test_request_context(), force_locale("pt_BR"):
        heading = gettext("You have signed out")
    assert heading != "You have signed out"
    assert heading in page
    assert 'lang="pt-BR"' in page or 'lang="pt_BR"' in page


def test_a_forged_language_in_the_address_falls_back_calmly(client):
    page = client.get("/signed-out?lang=%3Cscript%3E")
    assert page.status_code == 200
    assert "<script>" not in page.get_data(as_text=True)
