"""The RFC 6962 (RFC 9162 section 2.1) Merkle tree: hashing, growing the tree, proofs.

Leaf hash = SHA-256(0x00 || data), node hash = SHA-256(0x01 || left || right), and a
tree of n leaves splits at the largest power of two smaller than n. Proofs are built
from the hashes of *perfect* subtrees (2^level leaves starting at `index << level`),
asked of a `SubtreeSource`, so the same code serves the in-memory tree of `audit
verify` and the stored hashes of the database.

tools/verify_audit_proof.py checks the same proofs with an implementation of its own,
on purpose: an oversight body should not have to trust this module to check it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()

#: (level, index) -> hash of the perfect subtree of 2^level leaves from index << level.
SubtreeSource = Callable[[int, int], bytes]


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def split_point(size: int) -> int:
    """The largest power of two smaller than `size` (size >= 2)."""
    return 1 << ((size - 1).bit_length() - 1)


def range_root(start: int, end: int, subtree: SubtreeSource) -> bytes:
    """MTH(D[start:end]) for the ranges the RFC's recursion visits (start is aligned)."""
    size = end - start
    if size == 0:
        return EMPTY_ROOT
    if size & (size - 1) == 0:
        level = size.bit_length() - 1
        return subtree(level, start >> level)
    k = split_point(size)
    return node_hash(range_root(start, start + k, subtree), range_root(start + k, end, subtree))


def inclusion_proof(index: int, size: int, subtree: SubtreeSource) -> list[bytes]:
    """PATH(index, D[size]) of RFC 6962 section 2.1.1, nearest sibling first."""
    if not 0 <= index < size:
        raise ValueError("leaf index outside the tree")
    path: list[bytes] = []
    start, end = 0, size
    while end - start > 1:
        k = split_point(end - start)
        if index < start + k:
            path.append(range_root(start + k, end, subtree))
            end = start + k
        else:
            path.append(range_root(start, start + k, subtree))
            start += k
    return path[::-1]


def consistency_proof(old_size: int, new_size: int, subtree: SubtreeSource) -> list[bytes]:
    """PROOF(old_size, D[new_size]) of RFC 6962 section 2.1.2."""
    if not 0 <= old_size <= new_size:
        raise ValueError("sizes out of order")
    if old_size in (0, new_size):
        return []
    path: list[bytes] = []
    start, end, whole = 0, new_size, True
    m = old_size
    while m != end - start:
        k = split_point(end - start)
        if m <= k:
            path.append(range_root(start + k, end, subtree))
            end = start + k
        else:
            path.append(range_root(start, start + k, subtree))
            m -= k
            start += k
            whole = False
    if not whole:
        path.append(range_root(start, end, subtree))
    return path[::-1]


def _shift_while_even(fn: int, sn: int) -> tuple[int, int]:
    while fn and not fn & 1:
        fn, sn = fn >> 1, sn >> 1
    return fn, sn


def verify_inclusion(
    leaf: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes
) -> bool:
    """RFC 9162 section 2.1.3.2."""
    if not 0 <= index < size or any(len(p) != HASH_SIZE for p in proof):
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                fn, sn = _shift_while_even(fn, sn)
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == root


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> bool:
    """RFC 9162 section 2.1.4.2 (an empty old tree is consistent with anything)."""
    if not 0 <= old_size <= new_size or any(len(p) != HASH_SIZE for p in proof):
        return False
    if old_size == 0:
        return not proof
    if old_size == new_size:
        return not proof and old_root == new_root
    if not proof:
        return False
    path = list(proof)
    if old_size & (old_size - 1) == 0:
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            if not fn & 1:
                fn, sn = _shift_while_even(fn, sn)
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and fr == old_root and sr == new_root


class Frontier:
    """The right edge of a growing tree: the roots of its perfect subtrees, largest
    first (one per set bit of the size). Appending a leaf costs O(1) on average and
    never reads an older leaf."""

    def __init__(self, size: int = 0, hashes: Sequence[bytes] = ()) -> None:
        if len(hashes) != bin(size).count("1"):
            raise ValueError("the right edge does not match the tree size")
        self.size = size
        self.hashes = list(hashes)

    def append(self, leaf: bytes, keep_every: int = 8) -> list[tuple[int, int, bytes]]:
        """Add a leaf hash; return the perfect subtrees it completed at levels that are
        multiples of `keep_every` as (level, index, hash)."""
        completed = []
        h, level, n = leaf, 0, self.size
        while n & 1:
            h = node_hash(self.hashes.pop(), h)
            level, n = level + 1, n >> 1
            if level % keep_every == 0:
                completed.append((level, ((self.size + 1) >> level) - 1, h))
        self.hashes.append(h)
        self.size += 1
        return completed

    def root(self) -> bytes:
        if not self.hashes:
            return EMPTY_ROOT
        acc = self.hashes[-1]
        for h in reversed(self.hashes[:-1]):
            acc = node_hash(h, acc)
        return acc


class MemoryTree:
    """Every perfect subtree hash of a list of leaves, one flat bytearray per level
    (about 64 bytes a leaf): what `audit verify` builds from the rows."""

    def __init__(self, leaves: bytes | bytearray) -> None:
        if len(leaves) % HASH_SIZE:
            raise ValueError("leaf hashes must be 32 bytes each")
        self.size = len(leaves) // HASH_SIZE
        self.levels = [bytes(leaves)]
        sha = hashlib.sha256
        while len(self.levels[-1]) >= 2 * HASH_SIZE:
            below = self.levels[-1]
            pairs = len(below) // (2 * HASH_SIZE)
            self.levels.append(
                b"".join(sha(b"\x01" + below[i * 64 : i * 64 + 64]).digest() for i in range(pairs))
            )

    def subtree(self, level: int, index: int) -> bytes:
        row = self.levels[level]
        if (index + 1) * HASH_SIZE > len(row):
            raise IndexError("no such complete subtree")
        return row[index * HASH_SIZE : (index + 1) * HASH_SIZE]

    def root(self, size: int | None = None) -> bytes:
        return range_root(0, self.size if size is None else size, self.subtree)
