#!/usr/bin/python3
"""Fixtures for src/scan/compress: one known payload in every wrapper, bombs, truncated and corrupt variants.

Run with Debian's /usr/bin/python3 (needs python3-lz4) from this directory: `/usr/bin/python3 gen.py`.
Output is deterministic, so re-running only changes files when this script changes.
"""

import bz2
import gzip
import lzma
import os
import pickle
import random
import struct
import zlib

import lz4.frame

HERE = os.path.dirname(os.path.abspath(__file__))
BOMB_SIZE = 64 << 20
ZERO_PROPS = {"id": lzma.FILTER_LZMA1, "lc": 0, "lp": 0, "pb": 0, "dict_size": 16 << 20}


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)
    assert len(data) < 300_000, (name, len(data))


def make_payload():
    rng = random.Random(20240501)
    words = ["model", "tensor", "weight", "layer", "scanner", "pickle", "opcode", "archive", "joblib", "numpy"]
    text = " ".join(rng.choice(words) + str(rng.randrange(1000)) for _ in range(9000))
    obj = {"name": "fixture", "version": 3, "text": text, "values": [rng.random() for _ in range(200)]}
    return pickle.dumps(obj, protocol=4)


def gzip_member(data):
    return gzip.compress(data, mtime=0)


def gzip_with_all_header_fields(data):
    # FTEXT|FHCRC|FEXTRA|FNAME|FCOMMENT and a reserved bit, which Python ignores (zlib would not).
    flags = 0x01 | 0x02 | 0x04 | 0x08 | 0x10 | 0x20
    header = b"\x1f\x8b\x08" + bytes([flags]) + struct.pack("<I", 0) + b"\x00\x03"
    header += struct.pack("<H", 6) + b"ab\x02\x00xy" + b"model.pkl\x00" + b"a comment\x00"
    header += struct.pack("<H", zlib.crc32(header) & 0xFFFF)
    raw = zlib.compressobj(9, zlib.DEFLATED, -15)
    body = raw.compress(data) + raw.flush()
    return header + body + struct.pack("<II", zlib.crc32(data), len(data) & 0xFFFFFFFF)


def deflate_raw(data):
    raw = zlib.compressobj(9, zlib.DEFLATED, -15)
    return raw.compress(data) + raw.flush()


def alone(data):
    return lzma.compress(data, format=lzma.FORMAT_ALONE)


def xz(data, check=lzma.CHECK_CRC64):
    return lzma.compress(data, format=lzma.FORMAT_XZ, check=check)


def lz4f(data, **kwargs):
    return lz4.frame.compress(data, **kwargs)


def bzip2_crc(data):
    crc = 0xFFFFFFFF
    for b in data:
        crc ^= b << 24
        for _ in range(8):
            crc = ((crc << 1) ^ 0x04C11DB7) & 0xFFFFFFFF if crc & 0x80000000 else (crc << 1) & 0xFFFFFFFF
    return crc ^ 0xFFFFFFFF


def randomised_bzip2():
    """A block written the pre-0.9.5 way: its BWT output has bits flipped at BZ2_rNums intervals, flagged by the
    "randomised" header bit. Built from a payload without runs (so the initial RLE is the identity): compress the
    payload with the flips already applied, then set the bit and put the payload's CRC in the headers."""
    rng = random.Random(11)
    size = 3000
    flips, at = [], -2
    for gap in (619, 720, 127, 481, 931, 816):  # BZ2_rNums[0:6]; a flip where the countdown reaches 1
        at += gap
        if at < size:
            flips.append(at)
    while True:
        plain = bytes(rng.randrange(256) for _ in range(size))
        stored = bytearray(plain)
        for at in flips:
            stored[at] ^= 1
        if all(len(set(buf[i : i + 4])) > 1 for buf in (plain, stored) for i in range(size - 3)):
            break
    bits = "".join(f"{b:08b}" for b in bz2.compress(bytes(stored), 9))
    old_crc = f"{bzip2_crc(stored):032b}"
    new_crc = f"{bzip2_crc(plain):032b}"
    assert bits[80:112] == old_crc and bits[112] == "0"
    bits = bits[:80] + new_crc + "1" + bits[113:]
    # One block, so the stream CRC (after the end-of-stream magic, not byte-aligned) is the block CRC.
    end = bits.rindex(f"{0x177245385090:048b}" + old_crc)
    bits = bits[: end + 48] + new_crc + bits[end + 80 :]
    data = int(bits, 2).to_bytes(len(bits) // 8, "big")
    assert bz2.decompress(data) == plain
    return plain, data


def flip(data, at):
    corrupted = bytearray(data)
    corrupted[at] ^= 0x55
    return bytes(corrupted)


def main():
    payload = make_payload()
    half = len(payload) // 2
    first, second = payload[:half], payload[half:]
    write("payload.pkl", payload)

    singles = {
        "payload.pkl.gz": gzip_member(payload),
        "payload.zlib": zlib.compress(payload, 9),
        "payload.deflate": deflate_raw(payload),
        "payload.bz2": bz2.compress(payload, 9),
        "payload.xz": xz(payload),
        "payload.lzma": alone(payload),
        "payload.lz4": lz4f(payload),
    }
    for name, data in singles.items():
        write(name, data)

    # Variants exercising optional format features.
    write("payload-fields.gz", gzip_with_all_header_fields(payload))
    write("payload-crc32.xz", xz(payload, lzma.CHECK_CRC32))
    write("payload-sha256.xz", xz(payload, lzma.CHECK_SHA256))
    write("payload-nocheck.xz", xz(payload, lzma.CHECK_NONE))
    write("payload-preset9.xz", lzma.compress(payload, preset=9 | lzma.PRESET_EXTREME))
    sized = bytearray(alone(payload))
    sized[5:13] = struct.pack("<Q", len(payload))  # known size; the end marker after it is then trailing bytes
    write("payload-sized.lzma", bytes(sized))
    write(
        "payload-checksums.lz4",
        lz4f(payload, block_size=lz4.frame.BLOCKSIZE_MAX64KB, block_checksum=True, content_checksum=True),
    )
    write(
        "payload-independent.lz4",
        lz4f(payload, block_size=lz4.frame.BLOCKSIZE_MAX64KB, block_linked=False, store_size=False),
    )

    # The payload split over two members/streams/frames, decoded back to the whole payload.
    multis = {
        "multi.gz": gzip_member(first) + b"\x00\x00\x00" + gzip_member(second),
        "multi.bz2": bz2.compress(first, 9) + bz2.compress(second, 9),
        "multi.xz": xz(first) + xz(second),
        "multi.lzma": alone(first) + alone(second),
        "mixed.xz": xz(first) + alone(second),
        # lc=lp=pb=0 and a 16 MiB dictionary: the .lzma header starts with four zero bytes, like xz stream padding.
        "zero-props.lzma": alone(first) + lzma.compress(second, format=lzma.FORMAT_ALONE, filters=[ZERO_PROPS]),
        "padded.xz": xz(first) + bytes(8) + xz(second),
        "multi.lz4": lz4f(first) + lz4f(second),
    }
    for name, data in multis.items():
        write(name, data)
    # Trailing bytes after a complete stream, which Python's readers ignore (or, for gzip and lz4, reject).
    write("trailing.bz2", bz2.compress(payload, 9) + b"not a stream")
    write("trailing.xz", xz(payload) + b"not a stream")
    write("trailing.gz", gzip_member(payload) + b"not a stream")

    # Truncated inside the second member: the first member's data is kept, then an error.
    truncated = {
        "truncated.gz": multis["multi.gz"],
        "truncated.bz2": multis["multi.bz2"],
        "truncated.xz": multis["multi.xz"],
        "truncated.lzma": multis["multi.lzma"],
        "truncated.lz4": multis["multi.lz4"],
    }
    for name, data in truncated.items():
        write(name, data[: len(data) * 3 // 4])
    write("truncated.zlib", singles["payload.zlib"][: len(singles["payload.zlib"]) * 3 // 4])
    write("truncated.deflate", singles["payload.deflate"][: len(singles["payload.deflate"]) * 3 // 4])

    # Corrupted inside the second member, so again the first member's data is kept.
    def corrupt_second(one, two):
        return one + flip(two, len(two) // 2)

    write("corrupt.gz", corrupt_second(gzip_member(first), gzip_member(second)))
    write("corrupt.bz2", corrupt_second(bz2.compress(first, 9), bz2.compress(second, 9)))
    write("corrupt.xz", corrupt_second(xz(first), xz(second)))
    write("corrupt.lzma", corrupt_second(alone(first), alone(second)))
    write("corrupt.lz4", corrupt_second(lz4f(first), lz4f(second, content_checksum=True, block_checksum=True)))
    write("corrupt.zlib", flip(singles["payload.zlib"], len(singles["payload.zlib"]) // 2))
    # Raw deflate has no checksum: make the first block use the reserved block type instead.
    deflate = bytearray(singles["payload.deflate"])
    deflate[0] |= 0x06
    write("corrupt.deflate", bytes(deflate))

    # Bombs: 64 MiB of zeros. LZ4 tops out near 255:1, so its bomb is still only ~260 KB.
    zeros = bytes(BOMB_SIZE)
    write("bomb.gz", gzip.compress(zeros, 9, mtime=0))
    write("bomb.zlib", zlib.compress(zeros, 9))
    write("bomb.deflate", deflate_raw(zeros))
    write("bomb.bz2", bz2.compress(zeros, 9))
    write("bomb.xz", xz(zeros))
    write("bomb.lzma", alone(zeros))
    write("bomb.lz4", lz4f(zeros, block_size=lz4.frame.BLOCKSIZE_MAX4MB, compression_level=9))

    # Incompressible data: stored/uncompressed chunks and blocks (LZMA2 control 1/2, LZ4 raw blocks).
    noise = random.Random(7).randbytes(6000)
    write("random.bin", noise)
    write("random.xz", xz(noise))
    write("random.lzma", alone(noise))
    write("random.bz2", bz2.compress(noise, 9))
    write("random.lz4", lz4f(noise))
    write("random.gz", gzip_member(noise))

    plain, randomised = randomised_bzip2()
    write("randomised.bin", plain)
    write("randomised.bz2", randomised)

    # A filter chain Python can write but only LZMA2 is decoded here: must be reported, not mis-decoded.
    write("bcj.xz", lzma.compress(payload[:4000], filters=[{"id": lzma.FILTER_X86}, {"id": lzma.FILTER_LZMA2}]))

    # Small seeds for mutation fuzzing: structure dominates, so mutations reach headers, tables and checks.
    small = pickle.dumps({"a": [1, 2, 3], "b": "text " * 20, "c": {"d": 1.5}}, protocol=4)
    write("seed.gz", gzip_member(small))
    write("seed.zlib", zlib.compress(small))
    write("seed.deflate", deflate_raw(small))
    write("seed.bz2", bz2.compress(small, 1))
    write("seed.xz", xz(small))
    write("seed.lzma", alone(small))
    write("seed.lz4", lz4f(small, block_checksum=True, content_checksum=True))

    # One tiny stream, which tests repeat thousands of times (many-streams hostile input).
    write("tiny.bz2", bz2.compress(b"a", 9))


if __name__ == "__main__":
    main()
