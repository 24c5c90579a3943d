"""SQLModel tables, one module per aggregate. Importing this registers every table."""

from .alerts import ApiKey, StaffAlert
from .audit import AuditCheckpoint, AuditEvent, AuditNode
from .auth import AuthSession, SignInChallenge, SignInThrottle
from .case import Case, CaseEvent, CaseStage, CaseVictim
from .chat import ChatCount
from .messaging import (
    Channel,
    Notification,
    NotificationStatus,
    OutboxMessage,
    SendRate,
    WebhookReceipt,
)
from .staff import AdvocateLink, Role, StaffUser
from .victim import ConsentRecord, Victim
from .withdrawal import (
    CONFIRMED_STATUSES,
    EvidenceType,
    FollowUpAction,
    HelpOffer,
    PressureAnswer,
    RecoveryOutcome,
    ServiceRecoveryRequest,
    WithdrawalAnswer,
    WithdrawalFollowUp,
    WithdrawalReason,
    WithdrawalRequest,
    WithdrawalStatus,
    YesNoNotSure,
)

__all__ = [
    "CONFIRMED_STATUSES",
    "AdvocateLink",
    "ApiKey",
    "AuditCheckpoint",
    "AuditEvent",
    "AuditNode",
    "AuthSession",
    "Case",
    "CaseEvent",
    "CaseStage",
    "CaseVictim",
    "Channel",
    "ChatCount",
    "ConsentRecord",
    "EvidenceType",
    "FollowUpAction",
    "HelpOffer",
    "Notification",
    "NotificationStatus",
    "OutboxMessage",
    "SendRate",
    "PressureAnswer",
    "RecoveryOutcome",
    "Role",
    "StaffAlert",
    "ServiceRecoveryRequest",
    "SignInChallenge",
    "SignInThrottle",
    "StaffUser",
    "Victim",
    "WebhookReceipt",
    "WithdrawalAnswer",
    "WithdrawalFollowUp",
    "WithdrawalReason",
    "WithdrawalRequest",
    "WithdrawalStatus",
    "YesNoNotSure",
]
