class ProviderError(Exception):
    """A message could not be sent. `code` is the provider's error code, if any."""

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.code = code


class TemporaryProviderError(ProviderError):
    """Worth trying again later (rate limit, outage, timeout)."""


class PermanentProviderError(ProviderError):
    """Will never work for this address (invalid number, opted out, mailbox refused)."""
