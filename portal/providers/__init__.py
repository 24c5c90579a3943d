"""Ways to send messages. Providers import nothing from services.

Each provider returns a provider reference or raises TemporaryProviderError (try again
later) or PermanentProviderError (do not try again: the address is wrong or opted out).
"""

from .errors import PermanentProviderError, ProviderError, TemporaryProviderError

__all__ = ["PermanentProviderError", "ProviderError", "TemporaryProviderError"]
