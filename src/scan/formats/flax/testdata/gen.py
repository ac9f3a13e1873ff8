"""Writes msgpack checkpoints the way flax.serialization.msgpack_serialize lays them out.

Flax is not in Debian: arrays are msgpack extension type 1 holding msgpack((shape, dtype name, raw bytes)),
complex numbers type 2, numpy scalars type 3. Run: /usr/bin/python3 gen.py
"""
import pathlib

import msgpack
import numpy as np

OUT = pathlib.Path(__file__).resolve().parent


def ndarray(array):
    return msgpack.ExtType(1, msgpack.packb((array.shape, array.dtype.name, array.tobytes())))


rng = np.random.default_rng(0)
params = {"params": {"Dense_0": {"kernel": ndarray(rng.standard_normal((8, 4)).astype(np.float32)),
                                 "bias": ndarray(np.zeros(4, np.float32))},
                     "Dense_1": {"kernel": ndarray(rng.standard_normal((4, 2)).astype(np.float32)),
                                 "bias": ndarray(np.zeros(2, np.float32))}},
          "step": 100, "opt_state": [{"count": ndarray(np.array(3, np.int32))}, None]}
(OUT / "flax_model.msgpack").write_bytes(msgpack.packb(params))

pickle_payload = b"\x80\x02cos\nsystem\nX\x02\x00\x00\x00id\x85R."
(OUT / "pickle-in-binary.msgpack").write_bytes(msgpack.packb({"params": {"w": ndarray(np.ones(2, np.float32))}, "extra": pickle_payload}))
(OUT / "unknown-extension.msgpack").write_bytes(msgpack.packb({"params": {"w": msgpack.ExtType(42, b"\x00" * 8)}}))
(OUT / "trailing-pickle.msgpack").write_bytes(msgpack.packb({"params": {"w": ndarray(np.ones(2, np.float32))}}) + pickle_payload)
print("ok")
