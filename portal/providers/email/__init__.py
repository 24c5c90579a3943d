from .base import EmailProvider

__all__ = ["EmailProvider"]
