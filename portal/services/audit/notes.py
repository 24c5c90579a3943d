"""Checkpoints as C2SP signed notes, signed with Ed25519 (`cryptography`).

A checkpoint (https://c2sp.org/tlog-checkpoint) is the text

    <origin>
    <tree size>
    <base64 root hash>
    time <UTC time, ISO 8601>          (an extension line; tools may ignore it)

followed by a blank line and one signature line per signer (https://c2sp.org/signed-note):
"— <key name> <base64(4-byte key hash || 64-byte signature)>". Keys use the same text
forms as Go's golang.org/x/mod/sumdb/note: a signing key
"PRIVATE+KEY+<name>+<hash>+<base64(0x01 || seed)>" and a verifier key
"<name>+<hash>+<base64(0x01 || public key)>". The key name is the log's origin.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

ED25519_ALG = b"\x01"
SIGNATURE_PREFIX = "\u2014 "  # an em dash and a space


class NoteError(ValueError):
    """A note or key that cannot be read, or a signature that does not verify."""


def _key_hash(name: str, public: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + ED25519_ALG + public).digest()[:4]


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    tree_size: int
    root_hash: bytes
    body: str

    @classmethod
    def build(cls, origin: str, tree_size: int, root_hash: bytes, at: datetime) -> Checkpoint:
        stamp = at.astimezone(UTC).replace(microsecond=0, tzinfo=None).isoformat() + "Z"
        root = base64.b64encode(root_hash).decode()
        return cls(origin, tree_size, root_hash, f"{origin}\n{tree_size}\n{root}\ntime {stamp}\n")

    @classmethod
    def parse(cls, body: str) -> Checkpoint:
        lines = body.split("\n")
        if len(lines) < 4 or lines[-1] != "" or not lines[1].isdigit():
            raise NoteError("not a checkpoint")
        try:
            root = base64.b64decode(lines[2], validate=True)
        except ValueError as exc:
            raise NoteError("not a checkpoint") from exc
        if len(root) != 32 or not lines[0]:
            raise NoteError("not a checkpoint")
        return cls(lines[0], int(lines[1]), root, body)


class VerifierKey:
    def __init__(self, name: str, public: Ed25519PublicKey) -> None:
        self.name = name
        self.public = public
        self.raw = public.public_bytes(Encoding.Raw, PublicFormat.Raw)
        self.key_hash = _key_hash(name, self.raw)

    @classmethod
    def parse(cls, text: str) -> VerifierKey:
        try:
            name, key_hash, encoded = text.strip().split("+", 2)
            raw = base64.b64decode(encoded, validate=True)
        except ValueError as exc:
            raise NoteError("not a verifier key") from exc
        if raw[:1] != ED25519_ALG or len(raw) != 33:
            raise NoteError("not an Ed25519 verifier key")
        key = cls(name, Ed25519PublicKey.from_public_bytes(raw[1:]))
        if key_hash != key.key_hash.hex():
            raise NoteError("the verifier key's hash does not match the key")
        return key

    def text(self) -> str:
        encoded = base64.b64encode(ED25519_ALG + self.raw).decode()
        return f"{self.name}+{self.key_hash.hex()}+{encoded}"

    def open(self, note: str) -> Checkpoint:
        """The checkpoint in `note` if this key signed it; NoteError otherwise."""
        body, sep, signatures = note.partition("\n\n")
        if not sep or not signatures.endswith("\n"):
            raise NoteError("not a signed note")
        body += "\n"
        for line in signatures[:-1].split("\n"):
            if not line.startswith(SIGNATURE_PREFIX):
                raise NoteError("not a signed note")
            name, _, encoded = line[len(SIGNATURE_PREFIX) :].rpartition(" ")
            try:
                blob = base64.b64decode(encoded, validate=True)
            except ValueError as exc:
                raise NoteError("unreadable signature") from exc
            if name != self.name or blob[:4] != self.key_hash or len(blob) != 68:
                continue
            try:
                self.public.verify(blob[4:], body.encode())
            except InvalidSignature as exc:
                raise NoteError("the signature does not match the note") from exc
            return Checkpoint.parse(body)
        raise NoteError("not signed by the log's key")


class SigningKey:
    def __init__(self, name: str, private: Ed25519PrivateKey) -> None:
        if not name or any(c in name for c in "+ \n"):
            raise NoteError("a key name has no spaces, pluses or new lines")
        self.name = name
        self.private = private
        self.verifier = VerifierKey(name, private.public_key())

    @classmethod
    def generate(cls, name: str) -> SigningKey:
        return cls(name, Ed25519PrivateKey.generate())

    @classmethod
    def parse(cls, text: str) -> SigningKey:
        parts = text.strip().split("+", 4)
        if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"]:
            raise NoteError("not a signing key (PRIVATE+KEY+name+hash+key)")
        try:
            raw = base64.b64decode(parts[4], validate=True)
        except ValueError as exc:
            raise NoteError("not a signing key") from exc
        if raw[:1] != ED25519_ALG or len(raw) != 33:
            raise NoteError("not an Ed25519 signing key")
        key = cls(parts[2], Ed25519PrivateKey.from_private_bytes(raw[1:]))
        if parts[3] != key.verifier.key_hash.hex():
            raise NoteError("the signing key's hash does not match the key")
        return key

    def text(self) -> str:
        from cryptography.hazmat.primitives.serialization import NoEncryption, PrivateFormat

        seed = self.private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        encoded = base64.b64encode(ED25519_ALG + seed).decode()
        return f"PRIVATE+KEY+{self.name}+{self.verifier.key_hash.hex()}+{encoded}"

    def sign(self, checkpoint: Checkpoint) -> str:
        signature = self.private.sign(checkpoint.body.encode())
        blob = base64.b64encode(self.verifier.key_hash + signature).decode()
        return f"{checkpoint.body}\n{SIGNATURE_PREFIX}{self.name} {blob}\n"


def split_notes(text: str) -> list[str]:
    """The notes of a witness file, where each note is followed by one blank line."""
    chunks = [chunk.strip("\n") for chunk in text.split("\n\n") if chunk.strip()]
    pairs = zip(chunks[::2], chunks[1::2], strict=False)
    return [f"{body}\n\n{signatures}\n" for body, signatures in pairs]
