"""``python -m portal.chatbot.build [PATH]``: train the chatbot's models and write the
model file (``make chatbot-model``; see training.py)."""

from __future__ import annotations

import sys
from pathlib import Path

from .training import MODEL_FILE, build

if __name__ == "__main__":
    print(build(Path(sys.argv[1]) if len(sys.argv) > 1 else MODEL_FILE))
