"""gunicorn settings for the portal's web workers:

    PORTAL_ENV=production gunicorn -c deploy/gunicorn.conf.py wsgi:app

Workers hold no state (sessions and rate limits are in Redis, everything else in
PostgreSQL), so a host runs as many as its cores allow and the load balancer spreads
requests over hosts. Each setting can be changed with the environment variable named.
"""

import multiprocessing
import os

from portal.logs import ACCESS_FORMAT, logging_dict

bind = os.environ.get("WEB_BIND", "127.0.0.1:8000")
#: Processes per host; threads per process keep a worker useful while one request waits
#: on Twilio or the mail server during a sign-in.
workers = int(os.environ.get("WEB_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS", "4"))
#: A request that takes longer than this is stuck: the worker is replaced.
timeout = int(os.environ.get("WEB_TIMEOUT_SECONDS", "30"))
graceful_timeout = 20
#: Longer than the load balancer's idle timeout would cut connections it still uses.
keepalive = int(os.environ.get("WEB_KEEPALIVE_SECONDS", "5"))
#: Recycle workers now and then, so slow leaks never build up.
max_requests = 5000
max_requests_jitter = 500

#: Load the app and the chatbot's models once, in the master, before forking: workers
#: start ready and share the models' memory, instead of each training them (seconds of
#: CPU) on its first chat message, which under load could outlast `timeout`.
preload_app = True

accesslog = "-" if os.environ.get("WEB_ACCESS_LOG", "on").lower() != "off" else None
access_log_format = ACCESS_FORMAT
logconfig_dict = logging_dict(os.environ.get("LOG_LEVEL", "INFO"))
#: No control socket: several gunicorns on one host (a rehearsal, a benchmark) would
#: otherwise share one path in the home directory. Manage workers with signals.
control_socket_disable = True


def _portal(server):
    """The preloaded portal app, or None when this config serves another WSGI app (the
    load benchmark's hello-world runs with the very same settings)."""
    app = server.app.wsgi()
    return app if "db_engine" in getattr(app, "extensions", {}) else None


def when_ready(server) -> None:
    if _portal(server) is not None:
        from portal.chatbot import warm_up

        warm_up()
        server.log.info("chatbot models loaded")


def post_fork(server, worker) -> None:
    # Nothing in the master has connected to the database, but a connection pool must
    # never be shared across a fork: each worker starts with a pool of its own.
    app = _portal(server)
    if app is not None:
        app.extensions["db_engine"].dispose(close=False)
