"""Headers, errors, CSRF and quick exit as a browser would see them."""

import re

import pytest
from flask import session as flask_session

from tests.support.apps import create_schema, make_app


def test_home_page_carries_quick_exit_and_language(client):
    response = client.get("/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<html lang="en" dir="ltr">' in html
    assert 'id="quick-exit"' in html and 'href="/exit"' in html
    assert "quick-exit.js" in html
    assert 'href="#main"' in html  # skip link


def test_victim_pages_are_never_cached_but_static_files_are(client):
    assert client.get("/").headers["Cache-Control"] == "no-store"
    assert client.get("/no-such-page").headers["Cache-Control"] == "no-store"
    assert "no-store" not in client.get("/static/portal.css").headers.get("Cache-Control", "")


def test_security_headers(client):
    headers = client.get("/").headers
    csp = headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert "Strict-Transport-Security" not in headers  # development: plain http


def test_hsts_and_secure_cookies_in_production():
    app = make_app(HSTS=True, SESSION_COOKIE_SECURE=True)
    client = app.test_client()
    response = client.get("/", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    assert "Secure" in response.headers["Set-Cookie"]
    assert "HttpOnly" in response.headers["Set-Cookie"]
    assert "SameSite=Lax" in response.headers["Set-Cookie"]


def test_quick_exit_clears_the_session(app, client):
    with client.session_transaction() as sess:
        sess["victim_session"] = "abc"
    response = client.get("/exit")
    assert response.status_code == 303
    assert response.headers["Location"] == app.config["QUICK_EXIT_URL"]
    assert "cache" in response.headers["Clear-Site-Data"]
    with client:
        client.get("/")
        assert "victim_session" not in flask_session


def test_quick_exit_beacon_works_without_a_csrf_token(client):
    with client.session_transaction() as sess:
        sess["victim_session"] = "abc"
    assert client.post("/exit").status_code == 303
    with client.session_transaction() as sess:
        assert "victim_session" not in sess


def test_form_without_csrf_token_is_refused_calmly(client):
    response = client.post("/language", data={"locale": "pl"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "timed out" in html and "Traceback" not in html


def test_language_picker_remembers_the_choice(client):
    page = client.get("/").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post("/language", data={"locale": "ar", "next": "/", "csrf_token": token})
    assert response.status_code == 303
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in html


@pytest.mark.parametrize("target", ["https://evil.example", "//evil.example", "javascript:x"])
def test_language_picker_never_redirects_off_site(client, target):
    page = client.get("/").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post("/language", data={"locale": "pl", "next": target, "csrf_token": token})
    assert response.headers["Location"] == "/"


def test_unknown_page_is_a_calm_404(client):
    response = client.get("/nothing-here")
    assert response.status_code == 404
    assert "We cannot find this page" in response.get_data(as_text=True)


def test_unexpected_error_never_shows_a_stack_trace():
    app = create_schema(make_app())  # its own: the test adds a route

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internals")

    app.testing = False  # behave as in production: handlers, not propagation
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = app.test_client().get("/boom")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "secret internals" not in html and "Traceback" not in html
    assert "Sorry, something went wrong" in html


def test_dev_outbox_lists_messages_newest_first(app, client):
    sms = app.extensions["sms_provider"]
    sms.send_sms(to="+447700900001", body="first message", reference="r1")
    sms.send_sms(to="+447700900002", body="second message", reference="r2")
    html = client.get("/dev/outbox").get_data(as_text=True)
    assert html.index("second message") < html.index("first message")


def test_dev_outbox_is_not_there_outside_development():
    app = make_app(DEV_OUTBOX_ENABLED=False)
    assert app.test_client().get("/dev/outbox").status_code == 404
