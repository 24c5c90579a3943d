"""Witnesses: copies of every signed checkpoint, kept outside the database.

The portal appends each new checkpoint to `checkpoints.log` in AUDIT_WITNESS_DIR (a
directory that should live on another host or a write-once mount: see docs/audit.md for
how a force runs one). `audit verify` reads it back, together with any other witness
files an auditor kept, and proves the database is consistent with each checkpoint.
"""

from __future__ import annotations

import os
from pathlib import Path

from .notes import split_notes

WITNESS_FILE = "checkpoints.log"


def export(directory: str | Path, note: str) -> Path:
    """Append one signed note (and the blank line that separates notes), durably."""
    path = Path(directory) / WITNESS_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o640)
    try:
        os.write(fd, (note + "\n").encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    return path


def witness_file(location: str | Path) -> Path:
    """A witness location may be the directory the portal writes to, or a file."""
    path = Path(location)
    return path / WITNESS_FILE if path.is_dir() else path


def read_notes(location: str | Path) -> list[str]:
    path = witness_file(location)
    return split_notes(path.read_text()) if path.exists() else []


def latest_note(location: str | Path, tail_bytes: int = 8192) -> str | None:
    """The last note of a witness file, reading only its end (the file only grows)."""
    path = witness_file(location)
    if not path.exists():
        return None
    with path.open("rb") as f:
        f.seek(max(0, f.seek(0, os.SEEK_END) - tail_bytes))
        tail = f.read().decode(errors="replace")
    chunks = [chunk.strip("\n") for chunk in tail.split("\n\n") if chunk.strip()]
    return f"{chunks[-2]}\n\n{chunks[-1]}\n" if len(chunks) >= 2 else None
