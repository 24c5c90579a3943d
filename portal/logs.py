"""The web workers' logging (deploy/gunicorn.conf.py), written to standard error for the
platform to collect.

What the portal logs never carries personal data: no names, phone numbers, emails,
codes, crime references or message bodies (ids and counts only). The access log leaves
out query strings and client addresses for the same reason (the load balancer keeps
its own). tests/faults/test_logs.py checks this over the main journeys.
"""

from __future__ import annotations

from typing import Any

FORMAT = "%(asctime)s %(levelname)s [%(process)d] %(name)s: %(message)s"
#: gunicorn's access log: method, path without the query string, status, size, time.
ACCESS_FORMAT = '"%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'


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
