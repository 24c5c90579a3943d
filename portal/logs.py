"""The web workers' logging (deploy/gunicorn.conf.py), written to standard error for the
platform to collect.

What the portal logs never carries personal data: no names, phone numbers, emails,
codes, crime references or message bodies (ids and counts only). The access log names
the route a request matched ("/api/v1/cases/<crime_reference:reference>"), never its path,
which carries crime references and record ids; it leaves out query strings and client
addresses for the same reason (the load balancer keeps its own).
tests/faults/test_logs.py checks this over the main journeys.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map

FORMAT = "%(asctime)s %(levelname)s [%(process)d] %(name)s: %(message)s"
#: The WSGI environ key that `RouteForAccessLog` fills in, for gunicorn's `{key}e` atom.
ROUTE_KEY = "portal.route"
#: What the access log shows for a path that matches no route.
UNMATCHED = "<unmatched>"
#: gunicorn's access log: method, route pattern (not the path), status, size, time.
ACCESS_FORMAT = '"%(m)s %({' + ROUTE_KEY + '}e)s %(H)s" %(s)s %(B)s %(M)sms'


def route_pattern(url_map: Map, environ: dict[str, Any]) -> str:
    """The pattern of the route this request matches, or UNMATCHED."""
    try:
        rule, _arguments = url_map.bind_to_environ(environ).match(return_rule=True)
    except HTTPException:  # not found, wrong method, or a redirect to add a slash
        return UNMATCHED
    return rule.rule


class RouteForAccessLog:
    """WSGI middleware: puts the matched route's pattern in the environ before the app
    runs, so the access log can name it whatever the request ends in (an error, a 401
    from a before_request hook)."""

    def __init__(self, wsgi_app: Callable, url_map: Map) -> None:
        self.wsgi_app = wsgi_app
        self.url_map = url_map

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        environ[ROUTE_KEY] = route_pattern(self.url_map, environ)
        return self.wsgi_app(environ, start_response)


def logging_dict(level: str) -> dict[str, Any]:
    """A logging.config dictionary: the portal's own loggers (portal, jobs) at `level`,
    everything else at INFO or above, gunicorn's loggers in the same format."""
    level = level.upper()
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"portal": {"format": FORMAT}},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "portal",
                "stream": "ext://sys.stderr",
            }
        },
        "root": {"level": "INFO", "handlers": ["stderr"]},
        "loggers": {
            "portal": {"level": level},
            "jobs": {"level": level},
            "gunicorn.error": {"level": "INFO", "handlers": ["stderr"], "propagate": False},
            "gunicorn.access": {"level": "INFO", "handlers": ["stderr"], "propagate": False},
        },
    }
