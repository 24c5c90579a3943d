"""Configuration, read from environment variables with safe defaults for local use.

`Config` is what `make run` uses (SQLite under instance/, outbox providers).
`ProductionConfig` refuses unsafe settings; `TestConfig` refuses real providers.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = PROJECT_ROOT / "instance"
DEV_SECRET_KEY = "dev-only-not-secret"  # noqa: S105 - a placeholder production refuses


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class ConfigError(RuntimeError):
    """The configuration would be unsafe or cannot work; the app refuses to start."""


class Config:
    ENV_NAME = "development"
    SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)
    DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'portal.sqlite3'}")

    # Providers: "outbox" stores messages for /dev/outbox; "twilio" / "smtp" send for real.
    SMS_PROVIDER = os.environ.get("SMS_PROVIDER", "outbox")
    EMAIL_PROVIDER = os.environ.get("EMAIL_PROVIDER", "outbox")
    TWILIO_ACCOUNT_SID = os.environ.get("TWILIO_ACCOUNT_SID", "")
    TWILIO_AUTH_TOKEN = os.environ.get("TWILIO_AUTH_TOKEN", "")
    TWILIO_FROM_NUMBER = os.environ.get("TWILIO_FROM_NUMBER", "")
    TWILIO_MESSAGING_SERVICE_SID = os.environ.get("TWILIO_MESSAGING_SERVICE_SID", "")
    TWILIO_API_BASE_URL = os.environ.get("TWILIO_API_BASE_URL", "")  # empty: Twilio's own
    TWILIO_TIMEOUT_SECONDS = float(os.environ.get("TWILIO_TIMEOUT_SECONDS", "10"))
    SMTP_HOST = os.environ.get("SMTP_HOST", "localhost")
    SMTP_PORT = int(os.environ.get("SMTP_PORT", "587"))
    SMTP_USERNAME = os.environ.get("SMTP_USERNAME", "")
    SMTP_PASSWORD = os.environ.get("SMTP_PASSWORD", "")
    SMTP_STARTTLS = _env_bool("SMTP_STARTTLS", True)
    SMTP_TIMEOUT_SECONDS = float(os.environ.get("SMTP_TIMEOUT_SECONDS", "10"))
    #: The sender victims see. Neutral on purpose: a watched inbox must not learn anything.
    EMAIL_FROM = os.environ.get("EMAIL_FROM", "Notifications <no-reply@example.org>")
    #: How long a dispatcher's claim on a message lasts (renewed before each send). It must
    #: outlast the slowest provider call, or a second dispatcher could take the row over
    #: while the first is still sending it: validate() asks for 3x the longest timeout.
    DISPATCH_CLAIM_SECONDS = float(os.environ.get("DISPATCH_CLAIM_SECONDS", "120"))
    #: Sends in flight at once per dispatch worker (one wave of a batch).
    DISPATCH_CONCURRENCY = int(os.environ.get("DISPATCH_CONCURRENCY", "16"))
    #: SMS per second the sender (TWILIO_FROM_NUMBER or TWILIO_MESSAGING_SERVICE_SID) may
    #: send, all dispatch workers together (0: no limit), and the largest burst.
    SMS_SENDS_PER_SECOND = float(os.environ.get("SMS_SENDS_PER_SECOND", "0"))
    SMS_SEND_BURST = int(os.environ.get("SMS_SEND_BURST", "10"))

    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000")
    #: Where quick exit sends the victim: a busy, ordinary site.
    QUICK_EXIT_URL = os.environ.get("QUICK_EXIT_URL", "https://www.bbc.co.uk/weather")

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    #: Said outright: Flask-Limiter keeps the last app's choice on its (module-global)
    #: limiter objects when an app does not say, so one app could switch another's off.
    RATELIMIT_ENABLED = True
    #: Storage errors surface as limits.errors.StorageError, and a Redis that hangs
    #: costs at most half a second: see portal/web/limits.py for what each limit does then.
    RATELIMIT_STORAGE_OPTIONS = {
        "wrap_exceptions": True,
        "socket_timeout": 0.5,
        "socket_connect_timeout": 0.5,
    }
    RATELIMIT_KEY_PREFIX = os.environ.get("RATELIMIT_KEY_PREFIX", "portal")
    RATELIMIT_HEADERS_ENABLED = True
    #: Victim sign-in limits (Flask-Limiter syntax), per client address and per reference.
    VICTIM_SIGN_IN_LIMIT_PER_IP = os.environ.get("VICTIM_SIGN_IN_LIMIT_PER_IP", "20 per 15 minutes")
    VICTIM_SIGN_IN_LIMIT_PER_REFERENCE = os.environ.get(
        "VICTIM_SIGN_IN_LIMIT_PER_REFERENCE", "5 per hour"
    )
    VICTIM_CODE_LIMIT_PER_IP = os.environ.get("VICTIM_CODE_LIMIT_PER_IP", "20 per 15 minutes")
    #: Staff password attempts per client address. A force's offices may share one
    #: address, so this is generous; each account has its own tighter throttle too.
    STAFF_SIGN_IN_LIMIT_PER_IP = os.environ.get("STAFF_SIGN_IN_LIMIT_PER_IP", "60 per 15 minutes")
    #: Questions to the chatbot on the web, per client address.
    CHAT_LIMIT_PER_IP = os.environ.get("CHAT_LIMIT_PER_IP", "60 per minute")
    #: Requests per police-system API key (Flask-Limiter syntax), and the largest body.
    API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "600 per minute")
    API_MAX_BODY_BYTES = int(os.environ.get("API_MAX_BODY_BYTES", str(64 * 1024)))
    #: Public pages (home, rights, interpreter form), per client address. Generous: a
    #: refuge or a police station may put many people behind one address. Fails open.
    PUBLIC_PAGE_LIMIT_PER_IP = os.environ.get("PUBLIC_PAGE_LIMIT_PER_IP", "300 per minute")

    #: Where sign-in sessions live: "database" (the AuthSession table) or "redis".
    SESSION_STORE = os.environ.get("SESSION_STORE", "database")
    SESSION_REDIS_URL = os.environ.get("SESSION_REDIS_URL", "redis://127.0.0.1:6379/0")
    SESSION_REDIS_PREFIX = os.environ.get("SESSION_REDIS_PREFIX", "portal:session:")

    #: How many proxies (load balancers) in front of the app set X-Forwarded-For/-Proto.
    #: 0 trusts none; behind one load balancer set 1, or every client shares one address.
    TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "Europe/London"
    BABEL_TRANSLATION_DIRECTORIES = str(PROJECT_ROOT / "translations")

    SESSION_COOKIE_NAME = "portal_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", False)
    PERMANENT_SESSION_LIFETIME = timedelta(minutes=15)
    PREFERRED_URL_SCHEME = "http"
    HSTS = False
    WTF_CSRF_TIME_LIMIT = None  # the session lifetime already bounds the token

    DEV_OUTBOX_ENABLED = True
    SCHEDULER_TIMEZONE = "UTC"
    #: Days each kind of record is kept (see portal/services/retention.py); each can be
    #: set with RETENTION_<KIND>_DAYS, e.g. RETENTION_MESSAGE_TEXT_DAYS=30.
    RETENTION_DAYS = {
        kind: int(os.environ.get(f"RETENTION_{kind.upper()}_DAYS", default))
        for kind, default in {
            "message_text": 90,
            "sign_in_codes": 7,
            "sessions": 30,
            "dev_outbox": 30,
            "resolved_alerts": 365,
            "closed_case_contacts": 6 * 365,
        }.items()
    }
    #: Whether the scheduler process also sends the outbox. Production runs separate
    #: dispatch workers (`python -m jobs.dispatcher`) and leaves this off.
    DISPATCH_IN_SCHEDULER = _env_bool("DISPATCH_IN_SCHEDULER", True)
    #: A rehearsal of production on one machine (`make run-prod-local`): allows an http
    #: PUBLIC_BASE_URL on loopback only, and then demands loopback providers as well.
    PRODUCTION_ON_LOOPBACK = _env_bool("PRODUCTION_ON_LOOPBACK", False)

    #: The audit log's Ed25519 signing key, never in the database (docs/audit.md): the key
    #: text itself (from a secret store) or a file holding it. Development generates one
    #: into instance/ on first start; production refuses to start without one.
    AUDIT_SIGNING_KEY = os.environ.get("AUDIT_SIGNING_KEY", "")
    AUDIT_SIGNING_KEY_FILE = os.environ.get(
        "AUDIT_SIGNING_KEY_FILE", str(INSTANCE_DIR / "audit-signing.key")
    )
    #: A directory where each signed checkpoint is appended to checkpoints.log (empty:
    #: no witness). Put it on another host or a write-once mount.
    AUDIT_WITNESS_DIR = os.environ.get("AUDIT_WITNESS_DIR", str(INSTANCE_DIR / "audit-witness"))
    #: Sequencer lag (oldest entry not yet in a signed checkpoint) that raises an alert.
    AUDIT_LAG_ALERT_SECONDS = float(os.environ.get("AUDIT_LAG_ALERT_SECONDS", "10"))
    #: The most entries the sequencer puts in one checkpoint.
    AUDIT_SEQUENCER_BATCH = int(os.environ.get("AUDIT_SEQUENCER_BATCH", "5000"))


class ProductionConfig(Config):
    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"
    HSTS = True
    DEV_OUTBOX_ENABLED = False
    SMS_PROVIDER = os.environ.get("SMS_PROVIDER", "twilio")
    EMAIL_PROVIDER = os.environ.get("EMAIL_PROVIDER", "smtp")
    SESSION_STORE = os.environ.get("SESSION_STORE", "redis")
    DISPATCH_IN_SCHEDULER = _env_bool("DISPATCH_IN_SCHEDULER", False)
    AUDIT_SIGNING_KEY_FILE = os.environ.get("AUDIT_SIGNING_KEY_FILE", "")
    AUDIT_WITNESS_DIR = os.environ.get("AUDIT_WITNESS_DIR", "")


class TestConfig(Config):
    ENV_NAME = "test"
    TESTING = True
    SECRET_KEY = "test-secret-key"  # noqa: S105
    DATABASE_URL = "sqlite://"
    SMS_PROVIDER = "outbox"
    EMAIL_PROVIDER = "outbox"
    RATELIMIT_STORAGE_URI = "memory://"
    PUBLIC_BASE_URL = "http://localhost"
    #: A fixed key for tests only (tests that tamper with checkpoints make their own).
    AUDIT_SIGNING_KEY = (
        "PRIVATE+KEY+localhost/audit+ef26e13d+ARgMESJ6wNBekkmRpFxbix15cGp8btTV7TeGnqEJerTp"
    )
    AUDIT_WITNESS_DIR = ""


_LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def _is_loopback(url: str) -> bool:
    return urlparse(url).hostname in _LOOPBACK_HOSTS


def validate(config: Mapping[str, Any]) -> None:
    """Raise ConfigError when the settings would be unsafe for their environment."""
    problems = []
    env = config["ENV_NAME"]
    if config["SESSION_STORE"] not in ("database", "redis"):
        problems.append("SESSION_STORE must be database or redis")
    if env == "production":
        problems += _production_infrastructure_problems(config)
        secret = config.get("SECRET_KEY") or ""
        if secret == DEV_SECRET_KEY or len(secret) < 32:
            problems.append("SECRET_KEY must be set to a random value of 32+ characters")
        if "outbox" in (config["SMS_PROVIDER"], config["EMAIL_PROVIDER"]):
            problems.append("the outbox providers are for development only")
        if not (config["PUBLIC_BASE_URL"].startswith("https://") or _loopback_rehearsal(config)):
            problems.append("PUBLIC_BASE_URL must be an https:// address")
        if not config["SESSION_COOKIE_SECURE"]:
            problems.append("SESSION_COOKIE_SECURE must be on")
        if not (config["AUDIT_SIGNING_KEY"] or config["AUDIT_SIGNING_KEY_FILE"]):
            problems.append("AUDIT_SIGNING_KEY or AUDIT_SIGNING_KEY_FILE must give the audit key")
    longest_call = max(config["TWILIO_TIMEOUT_SECONDS"], config["SMTP_TIMEOUT_SECONDS"])
    if config["DISPATCH_CLAIM_SECONDS"] < 3 * longest_call:
        problems.append("DISPATCH_CLAIM_SECONDS must be at least 3x the longest provider timeout")
    if env == "test":
        # A test must never reach Twilio or a real mail server by mistake: real providers
        # are allowed only against a loopback endpoint that the test itself started.
        if config["SMS_PROVIDER"] == "twilio" and not _is_loopback(config["TWILIO_API_BASE_URL"]):
            problems.append("tests may use Twilio only against a local endpoint")
        if config["EMAIL_PROVIDER"] == "smtp" and config["SMTP_HOST"] not in _LOOPBACK_HOSTS:
            problems.append("tests may use SMTP only against a local server")
    if problems:
        raise ConfigError("; ".join(problems))


def _loopback_rehearsal(config: Mapping[str, Any]) -> bool:
    return config["PRODUCTION_ON_LOOPBACK"] and _is_loopback(config["PUBLIC_BASE_URL"])


def _production_infrastructure_problems(config: Mapping[str, Any]) -> list[str]:
    """Production needs shared rate limits, HSTS, and real providers on loopback only
    when rehearsing there (PRODUCTION_ON_LOOPBACK)."""
    problems = []
    if config["PRODUCTION_ON_LOOPBACK"] and not (
        _is_loopback(config["PUBLIC_BASE_URL"])
        and _is_loopback(config["TWILIO_API_BASE_URL"])
        and config["SMTP_HOST"] in _LOOPBACK_HOSTS
    ):
        problems.append(
            "PRODUCTION_ON_LOOPBACK needs PUBLIC_BASE_URL, TWILIO_API_BASE_URL and SMTP_HOST "
            "on loopback"
        )
    if not config["HSTS"]:
        problems.append("HSTS must be on")
    if not config["RATELIMIT_STORAGE_URI"].startswith(("redis://", "rediss://")):
        problems.append("RATELIMIT_STORAGE_URI must be a redis:// address shared by every worker")
    return problems


CONFIGS = {"development": Config, "production": ProductionConfig, "test": TestConfig}


def config_from_environment() -> type[Config]:
    return CONFIGS[os.environ.get("PORTAL_ENV", "development")]
