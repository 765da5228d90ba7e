#!/usr/bin/env python3
"""Independent reader for files written by aekit's write_model, used by tests/io/model_file_test.cpp.

It shares no code with aekit: only json, struct and numpy, and the safetensors layout as published.
It checks the layout rules aekit promises (8-byte aligned data buffer, space padding, string
metadata, F32 tensors and I64 counts stored contiguously in header order with no gaps) and prints
the tensors' names, shapes, dtypes and sums as one JSON object on stdout. Any violation exits non-zero with a message.

usage: read_safetensors.py FILE
"""
import json
import struct
import sys
import zlib

try:
    import numpy as np
except ImportError:
    sys.exit(f"read_safetensors.py: numpy is not installed for {sys.executable} "
             "(apt-get install python3-numpy)")


def fail(message):
    sys.exit(f"read_safetensors.py: {sys.argv[1]}: {message}")


def reject_duplicates(pairs):
    keys = [key for key, _ in pairs]
    if len(keys) != len(set(keys)):
        fail(f"duplicate keys in {keys}")
    return dict(pairs)


def main():
    with open(sys.argv[1], "rb") as f:
        data = f.read()
    if len(data) < 8:
        fail("shorter than 8 bytes")
    (header_length,) = struct.unpack("<Q", data[:8])
    if 8 + header_length > len(data):
        fail(f"header length {header_length} exceeds the file")
    if (8 + header_length) % 8 != 0:
        fail(f"data buffer starts at byte {8 + header_length}, not a multiple of 8")
    text = data[8:8 + header_length].decode("utf-8")
    if not text.rstrip(" ").endswith("}"):
        fail("header is not a JSON object padded with trailing spaces")
    header = json.loads(text, object_pairs_hook=reject_duplicates)

    metadata = header.pop("__metadata__", {})
    for key, value in metadata.items():
        if not isinstance(value, str):
            fail(f"metadata {key!r} is {type(value).__name__}, not a string")

    buffer = data[8 + header_length:]
    expected_begin = 0
    tensors = []
    for name, info in header.items():  # json keeps the file's key order
        # float32 values, or int64 for counts (BatchNorm's num_batches_tracked), as PyTorch stores them
        dtypes = {"F32": "<f4", "I64": "<i8"}
        if info["dtype"] not in dtypes:
            fail(f"{name}: dtype {info['dtype']}")
        dtype = np.dtype(dtypes[info["dtype"]])
        shape = info["shape"]
        begin, end = info["data_offsets"]
        if begin != expected_begin:
            fail(f"{name}: begins at {begin}, expected {expected_begin} (gap, overlap or out of order)")
        if end - begin != dtype.itemsize * int(np.prod(shape, dtype=np.int64)):
            fail(f"{name}: offsets [{begin}, {end}] do not match shape {shape}")
        values = np.frombuffer(buffer, dtype=dtype, count=(end - begin) // dtype.itemsize, offset=begin).reshape(shape)
        tensors.append({"name": name, "shape": shape, "dtype": info["dtype"],
                        "sum": float(values.astype(np.float64).sum())})
        expected_begin = end
    if expected_begin != len(buffer):
        fail(f"tensor data ends at {expected_begin}, buffer has {len(buffer)} bytes")
    # aekit's integrity check: zlib's CRC-32 of the whole data buffer, 8 lowercase hex digits.
    crc_checked = "data_crc32" in metadata
    if crc_checked and metadata["data_crc32"] != f"{zlib.crc32(buffer):08x}":
        fail(f"data_crc32 {metadata['data_crc32']} but the buffer's CRC-32 is {zlib.crc32(buffer):08x}")

    print(json.dumps({"metadata": metadata, "tensors": tensors, "crc_checked": crc_checked}))


if __name__ == "__main__":
    main()
