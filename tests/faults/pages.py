"""What the fault tests expect to read. Fault tests stop and start servers of their own
(the private_postgres and private_redis fixtures), never the shared ones."""

from __future__ import annotations

from flask_babel import force_locale, gettext


def busy_text(app, locale: str) -> str:
    """The heading of the calm 503 page, in `locale`."""
    with app.test_request_context(), force_locale(locale):
        return gettext("This service is busy")
