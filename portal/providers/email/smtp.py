"""Email over SMTP with the standard library (STARTTLS and login when configured)."""

from __future__ import annotations

import hashlib
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import parseaddr

from ..errors import PermanentProviderError, TemporaryProviderError
from .base import EmailProvider


class SmtpEmailProvider(EmailProvider):
    def __init__(
        self,
        *,
        host: str,
        port: int,
        sender: str,
        username: str = "",
        password: str = "",
        starttls: bool = True,
        timeout: float = 10.0,
    ) -> None:
        self._host, self._port, self._sender = host, port, sender
        self._username, self._password = username, password
        self._starttls, self._timeout = starttls, timeout

    def send_email(
        self, *, to: str, subject: str, text: str, html: str | None, reference: str
    ) -> str:
        message = EmailMessage()
        message["From"] = self._sender
        message["To"] = to
        message["Subject"] = subject
        message_id = message_id_for(reference, self._sender)
        message["Message-ID"] = message_id
        message.set_content(text)
        if html:
            message.add_alternative(html, subtype="html")
        try:
            with smtplib.SMTP(self._host, self._port, timeout=self._timeout) as smtp:
                if self._starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if self._username:
                    smtp.login(self._username, self._password)
                smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = {code for code, _ in exc.recipients.values()}
            if all(code >= 500 for code in codes):
                raise PermanentProviderError("mailbox refused", code=str(min(codes))) from None
            raise TemporaryProviderError("mailbox busy", code=str(min(codes))) from None
        except smtplib.SMTPResponseException as exc:
            error = PermanentProviderError if exc.smtp_code >= 500 else TemporaryProviderError
            raise error(f"SMTP {exc.smtp_code}", code=str(exc.smtp_code)) from None
        except (smtplib.SMTPException, OSError) as exc:
            raise TemporaryProviderError(f"SMTP unreachable: {type(exc).__name__}") from None
        return message_id


def message_id_for(reference: str, sender: str) -> str:
    """The same Message-ID for every attempt at one notification.

    SMTP cannot be asked what it accepted, so an email whose outcome was unknown is sent
    again; with the same Message-ID, mail stores that keep one message per id drop the
    copy. A hash, so the header says nothing about the service or the case.
    """
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    return f"<{hashlib.sha256(reference.encode()).hexdigest()[:32]}@{domain}>"
