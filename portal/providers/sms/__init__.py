from .base import SmsProvider

__all__ = ["SmsProvider"]
