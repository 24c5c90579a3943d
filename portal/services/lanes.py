"""Priority lanes of the outbox: the dispatcher always claims a lower lane first.

A sign-in code is asked for by someone waiting at the screen; a withdrawal confirmation
question decides whether a case may be closed; an event update has a Victims' Code
deadline; a routine check-in can wait a little. So a large check-in sweep never holds
up a code: the claim orders by lane before anything else.
"""

from __future__ import annotations

from .notification_text import CHECK_IN, SIGN_IN_CODE, WITHDRAWAL_CONFIRM

SIGN_IN = 0
QUESTION = 1
EVENT_UPDATE = 2
ROUTINE = 3

_LANES = {SIGN_IN_CODE: SIGN_IN, WITHDRAWAL_CONFIRM: QUESTION, CHECK_IN: ROUTINE}


def lane_for(template_key: str) -> int:
    """The lane of a message, from what it is (every event update shares one lane)."""
    return _LANES.get(template_key, EVENT_UPDATE)
