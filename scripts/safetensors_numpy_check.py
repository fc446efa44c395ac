#!/usr/bin/env python3
"""Cross-check nabla's safetensors files with an independent reader and writer (Python + NumPy).

Written from the format description in Hugging Face's safetensors README; it does not use the
`safetensors` package (which nabla's machines need not have). Used by test/io/safetensors.test.ts.

  safetensors_numpy_check.py read FILE   -> prints {"metadata", "order", "tensors"} as JSON,
                                            after checking the layout rules strictly
  safetensors_numpy_check.py write FILE  -> writes a file the way the reference writer lays it
                                            out (F64 before F32, then by name; __metadata__
                                            first) and prints what it wrote as JSON

Values are printed as repr() strings ('-0.0', 'inf', 'nan', '1e-45') so nothing is lost.
"""
import json
import struct
import sys

import numpy as np

DTYPES = {"F32": np.dtype("<f4"), "F64": np.dtype("<f8")}


def values(arr):
    return [repr(float(x)) for x in arr.reshape(-1)]


def read(path):
    with open(path, "rb") as f:
        blob = f.read()
    assert len(blob) >= 8, "shorter than 8 bytes"
    (n,) = struct.unpack("<Q", blob[:8])
    assert n % 8 == 0, f"header length {n} is not a multiple of 8"
    raw = blob[8:8 + n]
    assert len(raw) == n, "header runs past the end"
    text = raw.decode("utf-8")
    assert text.startswith("{"), "header does not start with {"
    assert text.rstrip(" ") == text.rstrip(" ").rstrip(), "padding is not spaces"
    pairs = json.loads(text, object_pairs_hook=lambda kv: kv)
    names = [k for k, _ in pairs]
    assert len(names) == len(set(names)), "duplicate keys"
    header = dict(pairs)
    data = blob[8 + n:]
    metadata = dict(header.pop("__metadata__", []))
    tensors = {}
    spans = []
    for name, info in header.items():
        info = dict(info)
        dt = DTYPES[info["dtype"]]
        shape = list(info["shape"])
        begin, end = info["data_offsets"]
        count = int(np.prod(shape, dtype=np.int64)) if shape else 1
        assert end - begin == count * dt.itemsize, f"{name}: size mismatch"
        arr = np.frombuffer(data[begin:end], dtype=dt).reshape(shape)
        tensors[name] = {"dtype": info["dtype"], "shape": shape, "values": values(arr)}
        spans.append((begin, end, name))
    spans.sort()
    cursor = 0
    for begin, end, name in spans:
        assert begin == cursor, f"{name}: hole or overlap at {cursor}"
        cursor = end
    assert cursor == len(data), "data section not fully covered"
    return {"metadata": metadata, "order": [s[2] for s in spans], "tensors": tensors}


def write(path):
    tensors = {
        "layer/w": np.array([[1.0, -0.0], [np.inf, 1e-310]], dtype="<f8"),
        "layer/b": np.array([0.5, -2.25, 1e-45], dtype="<f4"),
        "a_scalar": np.array(3.0, dtype="<f4"),
        "empty": np.zeros((0, 4), dtype="<f4"),
        "10": np.array([np.nan, -np.inf], dtype="<f8"),
    }
    metadata = {"format": "np", "note": "written by safetensors_numpy_check.py"}
    # The reference writer's order: larger dtypes first, then by name.
    order = sorted(tensors, key=lambda k: (-tensors[k].dtype.itemsize, k))
    header = {"__metadata__": metadata}
    offset = 0
    for name in order:
        arr = tensors[name]
        nbytes = arr.size * arr.dtype.itemsize
        header[name] = {
            "dtype": "F64" if arr.dtype.itemsize == 8 else "F32",
            "shape": list(arr.shape),
            "data_offsets": [offset, offset + nbytes],
        }
        offset += nbytes
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for name in order:
            f.write(np.ascontiguousarray(tensors[name]).tobytes())
    return {
        "metadata": metadata,
        "tensors": {
            k: {"dtype": header[k]["dtype"], "shape": list(v.shape), "values": values(v)}
            for k, v in tensors.items()
        },
    }


if __name__ == "__main__":
    mode, path = sys.argv[1], sys.argv[2]
    print(json.dumps(read(path) if mode == "read" else write(path)))
