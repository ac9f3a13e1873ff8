#!/usr/bin/env python3
"""Known-answer vectors for the audit log's Merkle tree, computed independently of the TypeScript code.

This is a literal transcription of the recursive definitions in RFC 6962 section 2.1 (MTH, PATH,
SUBPROOF) over the classic Certificate Transparency test leaves, using only hashlib. The output is
committed as rfc6962-vectors.json so the tests compare the iterative TypeScript engine against it.

Run: /usr/bin/python3 src/audit/testdata/rfc6962-vectors.py > src/audit/testdata/rfc6962-vectors.json
"""
import hashlib
import json

LEAVES = [
    b"",
    b"\x00",
    b"\x10",
    b"\x20\x21",
    b"\x30\x31",
    b"\x40\x41\x42\x43",
    b"\x50\x51\x52\x53\x54\x55\x56\x57",
    b"\x60\x61\x62\x63\x64\x65\x66\x67\x68\x69\x6a\x6b\x6c\x6d\x6e\x6f",
]


def sha256(data):
    return hashlib.sha256(data).digest()


def split_point(n):
    """The largest power of two smaller than n (n > 1)."""
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def mth(d):
    """MTH(D[n]) of RFC 6962 section 2.1."""
    n = len(d)
    if n == 0:
        return sha256(b"")
    if n == 1:
        return sha256(b"\x00" + d[0])
    k = split_point(n)
    return sha256(b"\x01" + mth(d[:k]) + mth(d[k:]))


def path(m, d):
    """PATH(m, D[n]) of RFC 6962 section 2.1.1."""
    n = len(d)
    if n == 1:
        return []
    k = split_point(n)
    if m < k:
        return path(m, d[:k]) + [mth(d[k:])]
    return path(m - k, d[k:]) + [mth(d[:k])]


def subproof(m, d, b):
    """SUBPROOF(m, D[n], b) of RFC 6962 section 2.1.2."""
    n = len(d)
    if m == n:
        return [] if b else [mth(d)]
    k = split_point(n)
    if m <= k:
        return subproof(m, d[:k], b) + [mth(d[k:])]
    return subproof(m - k, d[k:], False) + [mth(d[:k])]


def hexes(hashes):
    return [h.hex() for h in hashes]


def main():
    count = len(LEAVES)
    vectors = {
        "leaves": [leaf.hex() for leaf in LEAVES],
        "emptyRoot": mth([]).hex(),
        "roots": [{"size": n, "root": mth(LEAVES[:n]).hex()} for n in range(1, count + 1)],
        "inclusion": [
            {"index": i, "size": n, "proof": hexes(path(i, LEAVES[:n]))}
            for n in range(1, count + 1)
            for i in range(n)
        ],
        "consistency": [
            {"oldSize": m, "newSize": n, "proof": hexes(subproof(m, LEAVES[:n], True))}
            for n in range(1, count + 1)
            for m in range(1, n + 1)
        ],
    }
    print(json.dumps(vectors, indent=2))


if __name__ == "__main__":
    main()
