"""The victims' portal: create_app builds the Flask application."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from . import config as config_module
from . import db
from .config import PROJECT_ROOT, Config
from .logs import RouteForAccessLog


def create_app(config: type[Config] | Mapping[str, Any] | None = None) -> Flask:
    """Build the app. `config` is a Config class, or a mapping of overrides applied on
    top of the configuration chosen by PORTAL_ENV (development by default)."""
    app = Flask(
        __name__,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder="web/static",
        instance_path=str(config_module.INSTANCE_DIR),
    )
    if isinstance(config, type):
        app.config.from_object(config)
    else:
        app.config.from_object(config_module.config_from_environment())
        app.config.update(config or {})
    config_module.validate(app.config)

    db.init_app(app)
    _init_extensions(app)
    _init_providers(app)
    _init_session_store(app)
    _init_audit_key(app)

    if app.config["TRUSTED_PROXY_COUNT"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        # Behind a load balancer: the client's address (rate limits) and https come from
        # the headers the trusted proxies set, never from anything further out.
        count = app.config["TRUSTED_PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)

    from .web import register_web
    from .web.converters import IdConverter

    app.url_map.converters["id"] = IdConverter  # every integer in a route: <id:name>
    register_web(app)
    # The access log names the route, never the path (crime references are in paths).
    app.wsgi_app = RouteForAccessLog(app.wsgi_app, app.url_map)

    from .cli import register_commands

    register_commands(app)
    return app


def _init_extensions(app: Flask) -> None:
    from .extensions import babel, csrf, limiter, public_limiter
    from .web.locale import select_locale

    babel.init_app(app, locale_selector=select_locale)
    csrf.init_app(app)
    limiter.init_app(app)
    public_limiter.init_app(app)


def _init_providers(app: Flask) -> None:
    from .providers.factory import build_email_provider, build_sms_provider

    engine = app.extensions["db_engine"]
    app.extensions["sms_provider"] = build_sms_provider(app.config, engine)
    app.extensions["email_provider"] = build_email_provider(app.config, engine)


def _init_audit_key(app: Flask) -> None:
    """The audit log's signing key, read once (a key that cannot be read stops the start)."""
    from .config import ConfigError
    from .services.audit import NoteError, load_signing_key

    try:
        app.extensions["audit_key"] = load_signing_key(app.config)
    except (OSError, NoteError) as exc:
        raise ConfigError(f"the audit signing key cannot be used: {exc}") from exc


def _init_session_store(app: Flask) -> None:
    from .services.sessions import build_session_store

    app.extensions["session_store"] = build_session_store(app.config)
