"""What the chatbot is asked, counted: nothing a person wrote is ever stored."""

from __future__ import annotations

from datetime import date

from sqlmodel import Field, SQLModel


class ChatCount(SQLModel, table=True):
    """How many chat messages were answered with an intent on a day, per language and
    channel. This is all the bot keeps for improving it: no text, no victim, no time."""

    day: date = Field(primary_key=True)
    #: An intent of portal.chatbot, e.g. "interpreter" or "fallback".
    intent: str = Field(primary_key=True, max_length=40)
    #: The language the message was in, e.g. "pl" (also languages we do not speak).
    language: str = Field(primary_key=True, max_length=12)
    #: "web" or "sms".
    channel: str = Field(primary_key=True, max_length=10)
    count: int = Field(default=0)
