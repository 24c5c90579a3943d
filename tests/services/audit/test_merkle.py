"""The Merkle tree is RFC 6962's: the Certificate Transparency test vectors, and every
proof of every small tree checked both by the portal and by the standalone verifier."""

import hashlib

import pytest

from portal.services.audit import merkle
from tools import verify_audit_proof as tool

# Certificate Transparency's reference leaves and the root of each prefix (sizes 1-8).
LEAVES = [
    bytes.fromhex(h)
    for h in ("", "00", "10", "2021", "3031", "40414243", "5051525354555657",
              "606162636465666768696a6b6c6d6e6f")
]  # fmt: skip
ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
INCLUSION = [  # (leaf index, tree size, path)
    (0, 1, []),
    (0, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
    (5, 8, ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
    (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
]  # fmt: skip
CONSISTENCY = [  # (old size, new size, proof)
    (1, 1, []),
    (1, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
    (6, 8, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
    (2, 5, ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
]  # fmt: skip


def _tree(leaves):
    return merkle.MemoryTree(b"".join(merkle.leaf_hash(leaf) for leaf in leaves))


def test_empty_tree_and_prefix_roots_match_the_reference():
    assert merkle.Frontier().root() == hashlib.sha256(b"").digest() == merkle.EMPTY_ROOT
    frontier = merkle.Frontier()
    for size, expected in enumerate(ROOTS, start=1):
        frontier.append(merkle.leaf_hash(LEAVES[size - 1]))
        assert frontier.root().hex() == expected
        assert _tree(LEAVES[:size]).root().hex() == expected
        assert _tree(LEAVES).root(size).hex() == expected


@pytest.mark.parametrize(("index", "size", "path"), INCLUSION)
def test_inclusion_proofs_match_the_reference(index, size, path):
    tree = _tree(LEAVES[:size])
    proof = merkle.inclusion_proof(index, size, tree.subtree)
    assert [p.hex() for p in proof] == path
    leaf, root = merkle.leaf_hash(LEAVES[index]), bytes.fromhex(ROOTS[size - 1])
    assert merkle.verify_inclusion(leaf, index, size, proof, root)
    tool.check_inclusion(leaf, index, size, proof, root)


@pytest.mark.parametrize(("old", "new", "path"), CONSISTENCY)
def test_consistency_proofs_match_the_reference(old, new, path):
    proof = merkle.consistency_proof(old, new, _tree(LEAVES[:new]).subtree)
    assert [p.hex() for p in proof] == path
    old_root, new_root = bytes.fromhex(ROOTS[old - 1]), bytes.fromhex(ROOTS[new - 1])
    assert merkle.verify_consistency(old, new, old_root, new_root, proof)
    tool.check_consistency(old, new, old_root, new_root, proof)


def test_every_proof_of_every_small_tree_verifies_and_a_changed_one_does_not():
    leaves = [f"entry {i}".encode() for i in range(40)]
    tree = _tree(leaves)
    roots = [merkle.EMPTY_ROOT] + [tree.root(n) for n in range(1, 41)]
    for size in range(1, 41):
        for index in range(size):
            leaf = merkle.leaf_hash(leaves[index])
            proof = merkle.inclusion_proof(index, size, tree.subtree)
            assert merkle.verify_inclusion(leaf, index, size, proof, roots[size])
            tool.check_inclusion(leaf, index, size, proof, roots[size])
            other = merkle.leaf_hash(b"forged")
            assert not merkle.verify_inclusion(other, index, size, proof, roots[size])
            with pytest.raises(tool.ProofError):
                tool.check_inclusion(other, index, size, proof, roots[size])
            if size > 1:  # the same proof for a neighbour's place proves nothing
                wrong = (index + 1) % size
                assert not merkle.verify_inclusion(leaf, wrong, size, proof, roots[size])
        for old in range(1, size + 1):
            proof = merkle.consistency_proof(old, size, tree.subtree)
            assert merkle.verify_consistency(old, size, roots[old], roots[size], proof)
            tool.check_consistency(old, size, roots[old], roots[size], proof)
            if old < size:
                forged = merkle.node_hash(roots[old], roots[old])
                assert not merkle.verify_consistency(old, size, forged, roots[size], proof)
                with pytest.raises(tool.ProofError):
                    tool.check_consistency(old, size, forged, roots[size], proof)


def test_the_right_edge_and_the_kept_subtrees_agree_with_the_whole_tree():
    leaves = [merkle.leaf_hash(i.to_bytes(4, "big")) for i in range(600)]
    tree = merkle.MemoryTree(b"".join(leaves))
    frontier, kept = merkle.Frontier(), []
    for leaf in leaves:
        kept += frontier.append(leaf, keep_every=8)
    assert frontier.root() == tree.root()
    assert kept == [(8, 0, tree.subtree(8, 0)), (8, 1, tree.subtree(8, 1))]
    resumed = merkle.Frontier(300, _edge(leaves[:300]))
    for leaf in leaves[300:]:
        resumed.append(leaf)
    assert resumed.root() == tree.root()


def _edge(leaves):
    frontier = merkle.Frontier()
    for leaf in leaves:
        frontier.append(leaf)
    return frontier.hashes
