"""Checkpoints are C2SP signed notes that the standalone verifier reads too."""

import pytest

from portal.models.base import utcnow
from portal.services.audit.notes import Checkpoint, NoteError, SigningKey, VerifierKey
from tools import verify_audit_proof as tool


@pytest.mark.parametrize("attempt", range(20))  # keys whose base64 holds "+" and "/" too
def test_keys_round_trip_and_sign_checkpoints_both_verifiers_accept(attempt):
    key = SigningKey.parse(SigningKey.generate("victims.example.org/audit").text())
    verifier = VerifierKey.parse(key.verifier.text())
    note = key.sign(Checkpoint.build(key.name, 42 + attempt, bytes(range(32)), utcnow()))
    lines = note.split("\n")
    assert lines[:2] == ["victims.example.org/audit", str(42 + attempt)]
    assert lines[-2].startswith("\u2014 victims.example.org/audit ")
    assert verifier.open(note).tree_size == 42 + attempt
    assert tool.open_checkpoint(note, verifier.text())[1:] == (42 + attempt, bytes(range(32)))


def test_a_changed_or_foreign_checkpoint_is_refused_by_both_verifiers():
    key, other = SigningKey.generate("a.example/audit"), SigningKey.generate("a.example/audit")
    note = key.sign(Checkpoint.build(key.name, 10, b"\x01" * 32, utcnow()))
    changed = note.replace("\n10\n", "\n11\n")
    forged = other.sign(Checkpoint.build(key.name, 10, b"\x01" * 32, utcnow()))
    for bad in (changed, forged):
        with pytest.raises(NoteError):
            key.verifier.open(bad)
        with pytest.raises(tool.ProofError):
            tool.open_checkpoint(bad, key.verifier.text())
