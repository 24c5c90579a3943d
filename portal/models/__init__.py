"""SQLModel tables, one module per aggregate. Importing this registers every table."""

from .alerts import ApiKey, StaffAlert
from .audit import AuditEvent
from .auth import AuthSession, SignInChallenge, SignInThrottle
from .case import Case, CaseEvent, CaseStage, CaseVictim
from .chat import ChatCount
from .messaging import Channel, Notification, NotificationStatus, OutboxMessage
from .staff import AdvocateLink, Role, StaffUser
from .victim import ConsentRecord, Victim
from .withdrawal import WithdrawalReason, WithdrawalRequest, WithdrawalStatus

__all__ = [
    "AdvocateLink",
    "ApiKey",
    "AuditEvent",
    "AuthSession",
    "Case",
    "CaseEvent",
    "CaseStage",
    "CaseVictim",
    "Channel",
    "ChatCount",
    "ConsentRecord",
    "Notification",
    "NotificationStatus",
    "OutboxMessage",
    "Role",
    "StaffAlert",
    "SignInChallenge",
    "SignInThrottle",
    "StaffUser",
    "Victim",
    "WithdrawalReason",
    "WithdrawalRequest",
    "WithdrawalStatus",
]
