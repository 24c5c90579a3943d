"""Blueprints, one per audience. Web code parses requests, checks access and renders."""

from __future__ import annotations

from flask import Flask

from . import auth, errors, formatting, security


def register_web(app: Flask) -> None:
    from .api import bp as api_bp
    from .chat import bp as chat_bp
    from .dev import bp as dev_bp
    from .public import bp as public_bp
    from .rights import bp as rights_bp
    from .staff import bp as staff_bp
    from .victim import bp as victim_bp
    from .webhooks import bp as webhooks_bp

    auth.init_app(app)
    app.register_blueprint(public_bp)
    app.register_blueprint(rights_bp)
    app.register_blueprint(webhooks_bp)
    app.register_blueprint(victim_bp)
    app.register_blueprint(staff_bp)
    app.register_blueprint(chat_bp)
    app.register_blueprint(api_bp)
    if app.config["DEV_OUTBOX_ENABLED"]:
        app.register_blueprint(dev_bp)
    security.init_app(app)
    errors.init_app(app)
    _template_globals(app)


def _template_globals(app: Flask) -> None:
    from flask_babel import get_locale

    from portal.i18n import LOCALE_NAMES, html_lang, text_direction

    formatting.init_app(app)

    @app.context_processor
    def locale_context() -> dict:
        locale = str(get_locale() or "en")
        return {
            "current_locale": locale,
            "html_lang": html_lang(locale),
            "text_dir": text_direction(locale),
            "locale_names": LOCALE_NAMES,
        }
