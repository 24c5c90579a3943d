"""Where the log's signing key comes from: never the database.

AUDIT_SIGNING_KEY holds the key text itself (from a secret store, in production);
AUDIT_SIGNING_KEY_FILE names a file holding it. In development, when neither is set, a
key is generated once into instance/audit-signing.key; production refuses to start
without one (portal/config.py).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from .notes import SigningKey


def default_log_name(public_base_url: str) -> str:
    """The log's origin (and key name), e.g. "victims.example.org/audit"."""
    return f"{urlparse(public_base_url).hostname or 'localhost'}/audit"


def load_signing_key(config: Mapping[str, Any]) -> SigningKey:
    if config.get("AUDIT_SIGNING_KEY"):
        return SigningKey.parse(config["AUDIT_SIGNING_KEY"])
    path = Path(config["AUDIT_SIGNING_KEY_FILE"])
    if not path.exists():
        if config["ENV_NAME"] == "production":
            raise FileNotFoundError("AUDIT_SIGNING_KEY_FILE does not exist")
        _write_new_key(path, SigningKey.generate(default_log_name(config["PUBLIC_BASE_URL"])))
    return SigningKey.parse(path.read_text())


def _write_new_key(path: Path, key: SigningKey) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first: use theirs
        return
    with os.fdopen(fd, "w") as out:
        out.write(key.text() + "\n")
