"""Which language a request is answered in: the victim's choice, then the browser's."""

from __future__ import annotations

from flask import g, request

from portal.i18n import DEFAULT_LOCALE, normalise

LANGUAGE_COOKIE = "lang"

#: app.extensions key for a callable(locale) that stores the choice on the signed-in
#: victim's profile. Victim sign-in sets it; without it the cookie alone remembers.


def select_locale() -> str:
    chosen = normalise(request.cookies.get(LANGUAGE_COOKIE))
    if chosen:
        return chosen
    profile_locale = getattr(g, "victim_locale", None)
    if profile_locale:
        return profile_locale
    for tag, _quality in request.accept_languages:
        match = normalise(tag)
        if match:
            return match
    # The browser asked only for languages we do not speak yet: say so on the page.
    g.language_unavailable = bool(request.accept_languages)
    return DEFAULT_LOCALE
