"""Writes safetensors fixtures by the published format (8-byte LE header length, JSON header, raw data).

Debian has no safetensors package, so this follows the format as the reference writer does: tensors laid
out in order, header padded with spaces to a multiple of 8. Run: /usr/bin/python3 gen.py
"""
import json
import pathlib
import struct

import numpy as np

OUT = pathlib.Path(__file__).resolve().parent
DTYPES = {np.float32: "F32", np.float16: "F16", np.int64: "I64", np.uint8: "U8", np.bool_: "BOOL"}


def write(name, tensors, metadata=None, tail=b""):
    header, blobs, offset = {}, [], 0
    if metadata is not None:
        header["__metadata__"] = metadata
    for key, array in tensors.items():
        data = np.ascontiguousarray(array).tobytes()
        header[key] = {"dtype": DTYPES[array.dtype.type], "shape": list(array.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    raw = json.dumps(header, separators=(",", ":")).encode()
    raw += b" " * ((8 - len(raw) % 8) % 8)
    (OUT / name).write_bytes(struct.pack("<Q", len(raw)) + raw + b"".join(blobs) + tail)


rng = np.random.default_rng(0)
model = {
    "embed.weight": rng.standard_normal((16, 8)).astype(np.float32),
    "layer.0.weight": rng.standard_normal((8, 8)).astype(np.float16),
    "layer.0.bias": np.zeros(8, dtype=np.float16),
    "positions": np.arange(16, dtype=np.int64),
    "mask": np.array([True, False, True]),
}
write("model.safetensors", model, {"format": "pt", "source": "mlsecops fixtures"})
write("model-00001-of-00002.safetensors", dict(list(model.items())[:2]), {"format": "pt"})
write("model-00002-of-00002.safetensors", dict(list(model.items())[2:]), {"format": "pt"})
# A pickle that calls os.system, appended after the last tensor (never loaded).
payload = b"\x80\x02cos\nsystem\nX\x02\x00\x00\x00id\x85R."
write("appended-pickle.safetensors", {"w": np.ones(4, dtype=np.float32)}, {"format": "pt"}, tail=payload)
print("wrote", sorted(p.name for p in OUT.glob("*.safetensors")))
