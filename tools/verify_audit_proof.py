#!/usr/bin/env python3
"""Check the victims' portal audit log's proofs, independently of the portal.

For an oversight body, a victim's adviser or anyone holding a subject access export:
this file imports nothing from the portal (only the Python standard library and the
`cryptography` package for Ed25519), so it can be read in full and run anywhere.

    python verify_audit_proof.py checkpoint  --key KEY CHECKPOINT_FILE
    python verify_audit_proof.py inclusion   --key KEY audit_proofs.json
    python verify_audit_proof.py consistency --key KEY OLD_CHECKPOINT NEW_CHECKPOINT PROOF.json

KEY is the log's verifier key ("name+hash+base64", printed by `flask audit public-key`)
or a file holding it: take it from the force once, through a channel you trust, not from
the files you are checking. Each command prints what it proved and exits 0, or prints
why not and exits 1.

What is checked (RFC 6962 / RFC 9162 Merkle trees, C2SP signed-note checkpoints):
- checkpoint: the note carries a valid Ed25519 signature by KEY, for the log KEY names;
- inclusion: each entry's text hashes to its entry hash, and the entry hash, as a leaf
  at its log index, leads through its proof to the root of the signed checkpoint;
- consistency: the newer signed tree contains the older one unchanged (append-only).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import sys
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

DASH = "\u2014 "


class ProofError(Exception):
    """The thing checked is not what it claims to be."""


def _sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def _hash_children(left: bytes, right: bytes) -> bytes:
    return _sha256(b"\x01" + left + right)


def read_key(text: str) -> tuple[str, bytes, Ed25519PublicKey]:
    """(name, 4-byte key id, public key) from a verifier key "name+hash+base64"."""
    pieces = text.strip().split("+", 2)
    if len(pieces) != 3:
        raise ProofError("the key is not a verifier key (name+hash+base64)")
    name, id_hex, encoded = pieces
    raw = base64.b64decode(encoded)
    if len(raw) != 33 or raw[0] != 1:
        raise ProofError("the key is not an Ed25519 verifier key")
    key_id = _sha256(name.encode() + b"\n" + raw)[:4]
    if key_id.hex() != id_hex:
        raise ProofError("the key's hash does not match the key")
    return name, key_id, Ed25519PublicKey.from_public_bytes(raw[1:])


def open_checkpoint(note: str, key_text: str) -> tuple[str, int, bytes]:
    """(origin, tree size, root hash) of a checkpoint signed by the key."""
    name, key_id, public = read_key(key_text)
    text, blank, signatures = note.partition("\n\n")
    if not blank:
        raise ProofError("the checkpoint is not a signed note")
    signed_text = (text + "\n").encode()
    for line in signatures.splitlines():
        if not line.startswith(DASH):
            continue
        signer, _, blob_text = line[len(DASH) :].rpartition(" ")
        blob = base64.b64decode(blob_text)
        if signer != name or blob[:4] != key_id:
            continue
        try:
            public.verify(blob[4:], signed_text)
        except InvalidSignature:
            raise ProofError("the checkpoint's signature is not valid") from None
        lines = text.split("\n")
        if len(lines) < 3 or lines[0] != name or not lines[1].isdigit():
            raise ProofError("the signed text is not a checkpoint of this log")
        root = base64.b64decode(lines[2])
        if len(root) != 32:
            raise ProofError("the checkpoint's root hash is not 32 bytes")
        return lines[0], int(lines[1]), root
    raise ProofError("the checkpoint is not signed by this key")


def root_from_inclusion(leaf: bytes, index: int, size: int, path: list[bytes]) -> bytes:
    """The root that `path` leads to from `leaf` (RFC 9162, 2.1.3.2)."""
    if not 0 <= index < size:
        raise ProofError("the log index is outside the tree")
    node, last, acc = index, size - 1, leaf
    for sibling in path:
        if last == 0:
            raise ProofError("the inclusion proof is too long")
        if node % 2 == 1 or node == last:
            acc = _hash_children(sibling, acc)
            while node % 2 == 0 and node != 0:
                node, last = node // 2, last // 2
        else:
            acc = _hash_children(acc, sibling)
        node, last = node // 2, last // 2
    if last != 0:
        raise ProofError("the inclusion proof is too short")
    return acc


def check_inclusion(leaf: bytes, index: int, size: int, path: list[bytes], root: bytes) -> None:
    if root_from_inclusion(leaf, index, size, path) != root:
        raise ProofError(f"entry {index} is not in the signed tree of {size} entries")


def check_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, path: list[bytes]
) -> None:
    """RFC 9162, 2.1.4.2: the tree of new_size extends the tree of old_size."""
    if old_size > new_size:
        raise ProofError("the old tree is bigger than the new one")
    if old_size == new_size:
        if path or old_root != new_root:
            raise ProofError("two trees of the same size with different roots")
        return
    if old_size == 0:
        if path:
            raise ProofError("an empty tree needs no proof")
        return
    if not path:
        raise ProofError("the consistency proof is empty")
    if old_size & (old_size - 1) == 0:
        path = [old_root, *path]
    node, last = old_size - 1, new_size - 1
    while node % 2 == 1:
        node, last = node // 2, last // 2
    old_acc = new_acc = path[0]
    for sibling in path[1:]:
        if last == 0:
            raise ProofError("the consistency proof is too long")
        if node % 2 == 1 or node == last:
            old_acc = _hash_children(sibling, old_acc)
            new_acc = _hash_children(sibling, new_acc)
            while node % 2 == 0 and node != 0:
                node, last = node // 2, last // 2
        else:
            new_acc = _hash_children(new_acc, sibling)
        node, last = node // 2, last // 2
    if last != 0 or old_acc != old_root or new_acc != new_root:
        raise ProofError(f"the tree of {new_size} does not extend the tree of {old_size}")


def _hashes(items: list[str]) -> list[bytes]:
    out = [base64.b64decode(item) for item in items]
    if any(len(h) != 32 for h in out):
        raise ProofError("a proof hash is not 32 bytes")
    return out


def check_bundle(bundle: dict, key_text: str) -> list[int]:
    """Every entry of a subject access export's audit_proofs.json; returns the log
    indexes proved (entries still waiting to be sequenced are reported as such)."""
    if not bundle.get("checkpoint"):
        raise ProofError("the file holds no signed checkpoint yet")
    _origin, size, root = open_checkpoint(bundle["checkpoint"], key_text)
    proved = []
    for entry in bundle["entries"]:
        digest = _sha256(entry["entry"].encode())
        if digest.hex() != entry["entry_hash"]:
            raise ProofError(f"entry {entry['id']}: its text does not match its hash")
        if entry["inclusion_proof"] is None:
            continue
        leaf = _sha256(b"\x00" + digest)
        check_inclusion(leaf, entry["log_index"], size, _hashes(entry["inclusion_proof"]), root)
        proved.append(entry["log_index"])
    return proved


def _key_arg(value: str) -> str:
    path = Path(value)
    return path.read_text() if path.is_file() else value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("checkpoint", "inclusion", "consistency"):
        sub = commands.add_parser(name)
        sub.add_argument("--key", required=True, type=_key_arg, help="verifier key or file")
        if name == "checkpoint":
            sub.add_argument("note", type=Path)
        elif name == "inclusion":
            sub.add_argument("bundle", type=Path, help="audit_proofs.json")
        else:
            sub.add_argument("old", type=Path)
            sub.add_argument("new", type=Path)
            sub.add_argument("proof", type=Path, help="JSON list of base64 hashes")
    args = parser.parse_args(argv)
    try:
        if args.command == "checkpoint":
            origin, size, root = open_checkpoint(args.note.read_text(), args.key)
            print(f"OK: {origin} signed a tree of {size} entries, root {root.hex()}")
        elif args.command == "inclusion":
            bundle = json.loads(args.bundle.read_text())
            proved = check_bundle(bundle, args.key)
            waiting = sum(entry["inclusion_proof"] is None for entry in bundle["entries"])
            print(
                f"OK: {len(proved)} entries proved in the signed log; {waiting} not yet sequenced"
            )
        else:
            _o, old_size, old_root = open_checkpoint(args.old.read_text(), args.key)
            _n, new_size, new_root = open_checkpoint(args.new.read_text(), args.key)
            proof = json.loads(args.proof.read_text())
            proof = proof["proof"] if isinstance(proof, dict) else proof
            check_consistency(old_size, new_size, old_root, new_root, _hashes(proof))
            print(f"OK: the tree of {new_size} entries extends the tree of {old_size} unchanged")
    except (ProofError, ValueError, KeyError) as exc:
        print(f"FAILED: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
