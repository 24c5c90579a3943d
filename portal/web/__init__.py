"""Blueprints, one per audience. Web code parses requests, checks access and renders."""

from __future__ import annotations

from flask import Flask

from . import auth, errors, security


def register_web(app: Flask) -> None:
    from .dev import bp as dev_bp
    from .public import bp as public_bp
    from .staff import bp as staff_bp
    from .victim import bp as victim_bp

    auth.init_app(app)
    app.register_blueprint(public_bp)
    app.register_blueprint(victim_bp)
    app.register_blueprint(staff_bp)
    if app.config["DEV_OUTBOX_ENABLED"]:
        app.register_blueprint(dev_bp)
    security.init_app(app)
    errors.init_app(app)
    _template_globals(app)


def _template_globals(app: Flask) -> None:
    from flask_babel import get_locale

    from portal.i18n import LOCALE_NAMES, html_lang, text_direction

    @app.context_processor
    def locale_context() -> dict:
        locale = str(get_locale() or "en")
        return {
            "current_locale": locale,
            "html_lang": html_lang(locale),
            "text_dir": text_direction(locale),
            "locale_names": LOCALE_NAMES,
        }
