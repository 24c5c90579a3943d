"""The multilingual chatbot engine (issue 7): pure functions and data files, no Flask.

``reply(text, locale=None, victim=None, channel="web")`` detects the language, matches
one of the intents in ``corpus.INTENTS`` and answers with approved, translated text and
actions for the web or SMS layer to render; ``reply_to_topic(intent, locale)`` answers a
topic chosen from ``all_topics(locale)``.
"""

from .engine import Action, Reply, Topic, all_topics, reply, reply_to_topic
from .language import warm_up

__all__ = ["Action", "Reply", "Topic", "all_topics", "reply", "reply_to_topic", "warm_up"]
