"""The app factory and configuration."""

import pytest

from portal import create_app
from portal.config import ConfigError, ProductionConfig, TestConfig
from tests.support.apps import make_app


def test_factory_builds_app_with_every_extension(app):
    assert app.config["ENV_NAME"] == "test"
    for name in ("babel", "csrf", "limiter", "db_engine", "sms_provider", "email_provider"):
        assert name in app.extensions


def _production(**overrides):
    settings = {k: getattr(ProductionConfig, k) for k in dir(ProductionConfig) if k.isupper()}
    settings.update(
        SECRET_KEY="x" * 40,
        SMS_PROVIDER="twilio",
        EMAIL_PROVIDER="smtp",
        TWILIO_FROM_NUMBER="+447700900000",
        PUBLIC_BASE_URL="https://victims.example.org",
        DATABASE_URL="sqlite://",
        RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379",
        PRODUCTION_ON_LOOPBACK=False,
        AUDIT_SIGNING_KEY=TestConfig.AUDIT_SIGNING_KEY,
    )
    settings.update(overrides)
    return create_app(settings)


def test_production_starts_with_safe_settings():
    app = _production()
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert type(app.extensions["session_store"]).__name__ == "RedisSessionStore"
    assert app.config["DISPATCH_IN_SCHEDULER"] is False


_LOOPBACK_PROVIDERS = {
    "TWILIO_API_BASE_URL": "http://127.0.0.1:8025",
    "SMTP_HOST": "127.0.0.1",
}


def test_a_loopback_rehearsal_may_use_http_on_loopback_only():
    app = _production(
        PRODUCTION_ON_LOOPBACK=True, PUBLIC_BASE_URL="http://127.0.0.1:8000", **_LOOPBACK_PROVIDERS
    )
    assert app.config["PUBLIC_BASE_URL"] == "http://127.0.0.1:8000"
    with pytest.raises(ConfigError, match="https"):
        _production(
            PRODUCTION_ON_LOOPBACK=True,
            PUBLIC_BASE_URL="http://victims.example.org",
            **_LOOPBACK_PROVIDERS,
        )
    with pytest.raises(ConfigError, match="loopback"):  # never real Twilio in a rehearsal
        _production(
            PRODUCTION_ON_LOOPBACK=True,
            PUBLIC_BASE_URL="http://127.0.0.1:8000",
            SMTP_HOST="127.0.0.1",
        )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"SECRET_KEY": "dev-only-not-secret"}, "SECRET_KEY"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY"),
        ({"SMS_PROVIDER": "outbox"}, "outbox"),
        ({"EMAIL_PROVIDER": "outbox"}, "outbox"),
        ({"PUBLIC_BASE_URL": "http://victims.example.org"}, "https"),
        ({"SESSION_COOKIE_SECURE": False}, "SESSION_COOKIE_SECURE"),
        # A claim that ends while Twilio may still be answering lets a second dispatcher in.
        ({"DISPATCH_CLAIM_SECONDS": 20, "TWILIO_TIMEOUT_SECONDS": 10}, "DISPATCH_CLAIM"),
        ({"HSTS": False}, "HSTS"),
        ({"RATELIMIT_STORAGE_URI": "memory://"}, "RATELIMIT_STORAGE_URI"),
        ({"SESSION_STORE": "cookie"}, "SESSION_STORE"),
        # The audit log's key must come from outside the database, and exist.
        ({"AUDIT_SIGNING_KEY": "", "AUDIT_SIGNING_KEY_FILE": ""}, "AUDIT_SIGNING_KEY"),
        ({"AUDIT_SIGNING_KEY": "", "AUDIT_SIGNING_KEY_FILE": "/nonexistent/key"}, "audit"),
        ({"AUDIT_SIGNING_KEY": "PRIVATE+KEY+x+00000000+AAAA"}, "audit"),
    ],
)
def test_production_refuses_unsafe_settings(overrides, message):
    with pytest.raises(ConfigError, match=message):
        _production(**overrides)


def test_test_config_refuses_a_real_twilio_endpoint():
    with pytest.raises(ConfigError, match="Twilio"):
        make_app(SMS_PROVIDER="twilio", TWILIO_API_BASE_URL="", TWILIO_FROM_NUMBER="+1")


def test_test_config_refuses_a_real_mail_server():
    with pytest.raises(ConfigError, match="SMTP"):
        make_app(EMAIL_PROVIDER="smtp", SMTP_HOST="smtp.example.org")


def test_test_config_accepts_loopback_providers():
    app = make_app(
        SMS_PROVIDER="twilio",
        TWILIO_API_BASE_URL="http://127.0.0.1:9",
        TWILIO_ACCOUNT_SID="AC" + "0" * 32,
        TWILIO_AUTH_TOKEN="t",
        TWILIO_FROM_NUMBER="+447700900000",
        EMAIL_PROVIDER="smtp",
        SMTP_HOST="127.0.0.1",
    )
    assert type(app.extensions["sms_provider"]).__name__ == "TwilioSmsProvider"


def test_config_class_is_accepted_directly():
    app = create_app(TestConfig)
    assert app.testing
