"""Choose providers from configuration. Code never branches on "are we testing"."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.engine import Engine

from .email.base import EmailProvider
from .sms.base import SmsProvider


def build_sms_provider(config: Mapping[str, Any], engine: Engine) -> SmsProvider:
    name = config["SMS_PROVIDER"]
    if name == "outbox":
        from .outbox import OutboxSmsProvider

        return OutboxSmsProvider(engine)
    if name == "twilio":
        from .sms.twilio import TwilioSmsProvider

        return TwilioSmsProvider(
            account_sid=config["TWILIO_ACCOUNT_SID"],
            auth_token=config["TWILIO_AUTH_TOKEN"],
            from_number=config["TWILIO_FROM_NUMBER"],
            messaging_service_sid=config["TWILIO_MESSAGING_SERVICE_SID"],
            status_callback=config["PUBLIC_BASE_URL"].rstrip("/") + "/webhooks/twilio/status",
            api_base_url=config["TWILIO_API_BASE_URL"],
            timeout=config["TWILIO_TIMEOUT_SECONDS"],
            connections=config["DISPATCH_CONCURRENCY"],
        )
    raise ValueError(f"unknown SMS_PROVIDER {name!r}")


def build_email_provider(config: Mapping[str, Any], engine: Engine) -> EmailProvider:
    name = config["EMAIL_PROVIDER"]
    if name == "outbox":
        from .outbox import OutboxEmailProvider

        return OutboxEmailProvider(engine)
    if name == "smtp":
        from .email.smtp import SmtpEmailProvider

        return SmtpEmailProvider(
            host=config["SMTP_HOST"],
            port=config["SMTP_PORT"],
            sender=config["EMAIL_FROM"],
            username=config["SMTP_USERNAME"],
            password=config["SMTP_PASSWORD"],
            starttls=config["SMTP_STARTTLS"],
            timeout=config["SMTP_TIMEOUT_SECONDS"],
        )
    raise ValueError(f"unknown EMAIL_PROVIDER {name!r}")
