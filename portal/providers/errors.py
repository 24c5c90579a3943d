class ProviderError(Exception):
    """A message could not be sent. `code` is the provider's error code, if any."""

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.code = code


class TemporaryProviderError(ProviderError):
    """Worth trying again later (rate limit, outage, timeout).

    `maybe_sent` is True when the request may have reached the provider before it failed
    (a timeout waiting for the answer, a dropped connection): the message could have been
    accepted, so the provider is asked before it is sent again.
    """

    def __init__(self, message: str, *, code: str | None = None, maybe_sent: bool = False) -> None:
        super().__init__(message, code=code)
        self.maybe_sent = maybe_sent


class PermanentProviderError(ProviderError):
    """Will never work for this address (invalid number, opted out, mailbox refused)."""
