#!/usr/bin/env python3
"""Writes the malformed-input corpus into OUTDIR, with manifest.tsv describing each case.

Every file is generated here at test time (nothing binary is committed). Each manifest line is
    file <TAB> verb <TAB> expected message part
where verb is "data" (the file is --data of a training run), "ratings" (the file is --ratings of a
recommender's training run, with --rating-range 1:5), or "model" (the file is the model of
`aekit reconstruct`). The valid-* files are controls that must succeed, proving that in every other
case the damage alone is what fails. Only the standard library is used.
"""
import gzip
import json
import os
import struct
import sys
import zlib

out_dir = sys.argv[1]
cases = []  # (file, verb, expected)


def put(name, data, verb, expected):
    with open(os.path.join(out_dir, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8", "surrogateescape"))
    cases.append((name, verb, expected))


# ---------------------------------------------------------------- .npy
def npy(header, data=b"", version=(1, 0), length=None):
    text = header.encode("latin-1") if isinstance(header, str) else header
    if version[0] == 1:
        n = struct.pack("<H", len(text) if length is None else length)
    else:
        n = struct.pack("<I", len(text) if length is None else length)
    return b"\x93NUMPY" + bytes(version) + n + text + data


def npy_dict(descr="<f4", fortran="False", shape="(2, 2)"):
    return "{'descr': '%s', 'fortran_order': %s, 'shape': %s, }" % (descr, fortran, shape)


good_f4 = struct.pack("<4f", 0.0, 0.5, 1.0, 0.25)
put("valid.npy", npy(npy_dict(), good_f4), "data", "")
put("npy-empty.npy", b"", "data", "not a .npy file")
put("npy-short.npy", b"\x93NU", "data", "not a .npy file")
put("npy-bad-magic.npy", b"\x93NUMPX\x01\x00" + b"\x00" * 40, "data", "not a .npy file")
put("npy-version-0.npy", npy(npy_dict(), good_f4, version=(0, 0)), "data", "unsupported .npy format version 0.0")
put("npy-version-4.npy", npy(npy_dict(), good_f4, version=(4, 0)), "data", "unsupported .npy format version 4.0")
put("npy-header-length-past-end.npy", npy(npy_dict(), b"", length=65535), "data", "truncated .npy header")
put("npy-header-length-huge.npy", npy(npy_dict(), b"", version=(2, 0), length=0xFFFFFFFF), "data",
    "implausible .npy header length 4294967295 bytes")
put("npy-header-not-dict.npy", npy("[1, 2, 3]", good_f4), "data", "bad .npy header: expected '{'")
put("npy-missing-shape.npy", npy("{'descr': '<f4', 'fortran_order': False}", good_f4), "data", "missing key 'shape'")
put("npy-duplicate-key.npy", npy("{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (1,)}", good_f4),
    "data", "key 'descr' appears twice")
put("npy-unknown-key.npy", npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'x': 1}", good_f4), "data",
    "unexpected key 'x'")
put("npy-dtype-i2.npy", npy(npy_dict(descr="<i2"), b"\x00" * 8), "data", "unsupported .npy dtype '<i2'")
put("npy-dtype-big-endian.npy", npy(npy_dict(descr=">f4"), good_f4), "data", "unsupported .npy dtype '>f4'")
put("npy-dtype-object.npy", npy(npy_dict(descr="|O"), good_f4), "data", "unsupported .npy dtype '|O'")
put("npy-fortran.npy", npy(npy_dict(fortran="True"), good_f4), "data", "Fortran-order arrays are not supported")
put("npy-bool-garbage.npy", npy(npy_dict(fortran="Maybe"), good_f4), "data", "expected True or False")
put("npy-dim-2pow63.npy", npy(npy_dict(shape="(9223372036854775808,)"), good_f4), "data",
    "expected a non-negative dimension")
put("npy-dim-negative.npy", npy(npy_dict(shape="(-4,)"), good_f4), "data", "expected a non-negative dimension")
put("npy-shape-wraps-to-zero.npy", npy(npy_dict(shape="(4294967296, 4294967296)"), good_f4), "data",
    "implausible .npy shape [4294967296, 4294967296]")
put("npy-shape-overflow-times-zero.npy", npy(npy_dict(shape="(1099511627776, 1099511627776, 0)"), b""), "data",
    "implausible .npy shape")
put("npy-shape-5d.npy", npy(npy_dict(shape="(1, 1, 1, 1, 1)"), good_f4[:4]), "data", "more than 4 dimensions")
put("npy-shape-not-tuple.npy", npy(npy_dict(shape="(4)"), good_f4), "data", "a 1-D shape is written (n,)")
put("npy-unterminated.npy", npy("{'descr': '<f4", good_f4), "data", "unterminated string")
put("npy-truncated-data.npy", npy(npy_dict(), good_f4[:10]), "data", "truncated: header promises 16 bytes")
put("npy-huge-claim.npy", npy(npy_dict(shape="(65536, 65536, 1024)"), good_f4), "data",
    "truncated: header promises 17592186044416 bytes")
put("npy-trailing.npy", npy(npy_dict(), good_f4 + b"\x00"), "data", "trailing garbage after the 16 bytes")
put("npy-nan.npy", npy(npy_dict(), struct.pack("<4f", 0.0, float("nan"), 1.0, 0.0)), "data", "NaN")
put("npy-inf.npy", npy(npy_dict(), struct.pack("<4f", 0.0, 1.0, float("inf"), 0.0)), "data", "value at [1, 0] is infinite")
put("npy-non-ascii-header.npy", npy(b"{'descr': '<f4\xff\x1b[2J', 'fortran_order': False, 'shape': (4,)}", good_f4),
    "data", "unsupported .npy dtype '<f4\\xFF\\x1B[2J'")


# ---------------------------------------------------------------- IDX
def idx(code, dims, data=b""):
    return bytes([0, 0, code, len(dims)]) + b"".join(struct.pack(">I", d) for d in dims) + data


good_idx = idx(0x08, [2, 2, 2], bytes(range(8)))
put("valid.idx", good_idx, "data", "")
put("valid.idx.gz", gzip.compress(good_idx), "data", "")
put("idx-empty.idx", b"", "data", "not an IDX file: the file has only 0 bytes")
put("idx-short.idx", b"\x00\x00\x08", "data", "not an IDX file: the file has only 3 bytes")
put("idx-bad-magic.idx", b"\x01\x02" + good_idx[2:], "data", "wrong magic number 0x01020803")
put("idx-type-unknown.idx", idx(0x0A, [2, 2], bytes(4)), "data", "unsupported IDX type code 0x0A")
put("idx-zero-dims.idx", idx(0x08, []), "data", "IDX file has 0 dimensions")
put("idx-five-dims.idx", idx(0x08, [1, 1, 1, 1, 1], b"\x00"), "data", "IDX file has 5 dimensions")
put("idx-truncated-dims.idx", idx(0x08, [2, 2, 2])[:9], "data", "ends inside them")
put("idx-truncated-data.idx", idx(0x08, [2, 2, 2], bytes(5)), "data", "truncated: header promises 8 bytes of uint8")
put("idx-trailing.idx", good_idx + b"\x00", "data", "trailing garbage: the file continues after the 8 bytes")
put("idx-implausible.idx", idx(0x0E, [0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF], bytes(8)), "data", "implausible IDX header")
put("idx-wraps-to-zero.idx", idx(0x08, [65536, 65536, 65536, 65536], bytes(8)), "data", "implausible IDX header")
put("idx-huge-claim.idx", idx(0x08, [65536, 65536, 64], bytes(64)), "data",
    "truncated: header promises 274877906944 bytes")
put("idx-nan.idx", idx(0x0D, [2, 2], struct.pack(">4f", 0, float("nan"), 0, 0)), "data", "is NaN")
put("idx-inf.idx", idx(0x0E, [2, 2], struct.pack(">4d", 0, 0, float("-inf"), 0)), "data", "value at [1, 0] is infinite")
gz = gzip.compress(good_idx)
put("gz-truncated.idx.gz", gz[: len(gz) // 2], "data", "truncated")
put("gz-trailer-cut.idx.gz", gz[:-4], "data", "is the .gz file truncated?")
put("gz-trailing-garbage.idx.gz", gz + b"garbage", "data", "trailing garbage: bytes after the last gzip member")
put("gz-trailing-zeros.idx.gz", gz + bytes(16), "data", "trailing garbage: bytes after the last gzip member")
bad_crc = bytearray(gz)
bad_crc[-8] ^= 0xFF
put("gz-bad-crc.idx.gz", bytes(bad_crc), "data", "corrupt gzip data: incorrect data check")
bad_deflate = bytearray(gz)
bad_deflate[10] = 0xFF  # the first deflate block header: reserved block type
put("gz-bad-deflate.idx.gz", bytes(bad_deflate), "data", "corrupt gzip data")
put("gz-magic-only.idx.gz", b"\x1f\x8b", "data", "not an IDX file")
# A gzip bomb: ~100 KB that inflate to 100 MB of zeros behind a header promising 2^33 bytes.
bomb = zlib.compressobj(9, zlib.DEFLATED, 31)
parts = [bomb.compress(idx(0x08, [65536, 65536, 2]))]
zeros = bytes(1 << 20)
for _ in range(100):
    parts.append(bomb.compress(zeros))
parts.append(bomb.flush())
put("gz-bomb.idx.gz", b"".join(parts), "data", "truncated: header promises 8589934592 bytes")
put("gz-bomb-trailing.idx.gz", gzip.compress(idx(0x08, [1024, 1024, 8]) + bytes((1 << 23) + 1)), "data",
    "trailing garbage: the decompressed data continues after the 8388608 bytes")

# ---------------------------------------------------------------- CSV
put("valid.csv", "0,0.5,1,0.25\n1,0.5,0,0.75\n", "data", "")
put("csv-empty.csv", "", "data", "empty file (no lines with data)")
put("csv-blank-lines.csv", "\n  \n\t\n", "data", "empty file (no lines with data)")
put("csv-bom-only.csv", b"\xef\xbb\xbf", "data", "empty file (no lines with data)")
put("csv-header-only.csv", "a,b,c\n", "data", "no data rows (only a header line)")
put("csv-ragged.csv", "1,2,3\n4,5,6\n7,8\n", "data", "csv-ragged.csv:3: expected 3 cells, found 2")
put("csv-ragged-long.csv", "1,2\n3,4,5\n", "data", ":2: expected 2 cells, found 3")
put("csv-not-a-number.csv", "1,2\n3,abc\n", "data", ":2: cell 2 'abc' is not a number")
put("csv-nan.csv", "1,2\n3,nan\n", "data", ":2: cell 2 is NaN")
put("csv-inf.csv", "1,2\ninf,3\n", "data", ":2: cell 1 is infinite")
put("csv-minus-inf.csv", "1,2\n3,-inf\n", "data", ":2: cell 2 is infinite")
put("csv-out-of-range.csv", "1,2\n3,1e39\n", "data", ":2: cell 2 '1e39' is out of the float range")
put("csv-empty-cell.csv", "1,2,3\n4,,6\n", "data", ":2: cell 2 is empty")
put("csv-locale-decimal-comma.csv", "1,5;2,5\n3,5;4,5\n", "data", ":1: cell 2 '5;2' is not a number")
put("csv-hex-float.csv", "1,2\n0x1p3,2\n", "data", "cell 1 '0x1p3' is not a number")
put("csv-nul-byte.csv", "1,2\n3,4\x00\n", "data", "cell 2 '4\\x00' is not a number")
put("csv-escape-sequence.csv", "1,2\n3,\x1b[31mred\n", "data", "cell 2 '\\x1B[31mred' is not a number")
put("csv-invalid-utf8.csv", b"1,2\n3,\xff\xfe\n", "data", "cell 2 '\\xFF\\xFE' is not a number")
wide = ",".join(["1"] * 100000) + "\n" + "1\n" * 300000
put("csv-wide-then-short.csv", wide, "data", ":2: expected 100000 cells, found 1")
put("csv-unbalanced-quote.csv", '1,2\n"3,4\n', "data", ":2: expected 2 cells, found 1")


# ---------------------------------------------------------------- rating files
ok = "1,10,4\n1,11,3\n2,10,5\n2,12,1\n3,11,2\n3,12,4\n"
put("valid-ratings.csv", ok, "ratings", "")
put("valid-ratings.dat", ok.replace(",", "::").replace("\n", "::978300760\n"), "ratings", "")  # ratings.dat
put("valid-ratings-header.tsv", "userId\tmovieId\trating\n" + ok.replace(",", "\t"), "ratings", "")
put("ratings-empty.csv", "", "ratings", "no ratings (the file is empty or holds only a header)")
put("ratings-header-only.csv", "userId,movieId,rating,timestamp\n", "ratings", "no ratings")
put("ratings-user-not-integer.csv", ok + "x7,10,3\n", "ratings", ":7: user id 'x7' is not an integer")
put("ratings-item-not-integer.csv", ok + "4,1.5,3\n", "ratings", ":7: item id '1.5' is not an integer")
put("ratings-id-overflow.csv", ok + "99999999999999999999,10,3\n", "ratings",
    ":7: user id '99999999999999999999' is not an integer")
put("ratings-negative-id.csv", ok + "4,-,3\n", "ratings", ":7: item id '-' is not an integer")
put("ratings-rating-not-number.csv", ok + "4,10,good\n", "ratings", ":7: rating 'good' is not a number")
put("ratings-rating-nan.csv", ok + "4,10,nan\n", "ratings", ":7: rating")
put("ratings-above-range.csv", ok + "4,10,6\n", "ratings", ":7: rating 6 is outside the rating range 1:5")
put("ratings-below-range.csv", ok + "4,10,0.5\n", "ratings", ":7: rating 0.5 is outside the rating range 1:5")
put("ratings-inf.csv", ok + "4,10,inf\n", "ratings", ":7: rating")
put("ratings-duplicate.csv", ok + "2,12,3\n", "ratings", ":7: user 2 rated item 12 again (first on line 4)")
put("ratings-ragged.csv", ok + "4,10\n", "ratings", ":7: expected 3 cells like the first line, found 2")
put("ratings-escape-sequence.csv", ok + "4,\x1b[31m,3\n", "ratings", "item id '\\x1B[31m' is not an integer")
put("ratings-invalid-utf8.csv", (ok + "4,10,").encode() + b"\xff\xfe\n", "ratings", "rating '\\xFF\\xFE' is not a number")

# ---------------------------------------------------------------- model files (safetensors)
ARCH = {"type": "dense_autoencoder", "encoder": [4, 2], "decoder": [2, 4], "activation": "sigmoid",
        "code_activation": "sigmoid", "output_activation": "sigmoid", "dropout": 0.0, "init": "pytorch",
        "init_sigma": 0.1}
SHAPES = [("encoder.0.weight", [2, 4]), ("encoder.0.bias", [2]), ("decoder.0.weight", [4, 2]),
          ("decoder.0.bias", [4])]


def metadata(**changes):
    m = {"format": "aekit-model", "format_version": "1", "aekit_version": "0.1.0", "architecture": json.dumps(ARCH),
         "preprocessing": json.dumps({"kind": "none", "features": 0}), "loss": "mse",
         "data": json.dumps({"image_height": 0, "image_width": 0}), "training": "{}"}
    for k, v in changes.items():
        if v is None:
            m.pop(k, None)
        else:
            m[k] = v
    return m


def model(meta=None, shapes=SHAPES, values=None, header_override=None, extra=b"", length=None):
    header = {"__metadata__": metadata() if meta is None else meta}
    data = b""
    for name, shape in shapes:
        n = 1
        for d in shape:
            n *= d
        header[name] = {"dtype": "F32", "shape": shape, "data_offsets": [len(data), len(data) + 4 * n]}
        data += struct.pack("<%df" % n, *([0.25] * n))
    if values is not None:
        data = values(data)
    text = header_override if header_override is not None else json.dumps(header).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    return struct.pack("<Q", len(text) if length is None else length) + text + data + extra


def arch(**changes):
    a = dict(ARCH)
    a.update(changes)
    return json.dumps(a)


def raw_header(entries):
    return json.dumps(dict({"__metadata__": metadata()}, **entries)).encode()


put("valid.aek", model(), "model", "")
put("model-empty.aek", b"", "model", "not an aekit model file (0 bytes")
put("model-short.aek", b"\x10\x00\x00", "model", "too short for the 8-byte safetensors header length")
put("model-header-past-end.aek", model(length=1 << 20), "model", "header length 1048576 exceeds the file size")
put("model-header-2pow63.aek", model(length=1 << 63), "model", "header length 9223372036854775808 exceeds")
put("model-not-json.aek", model(header_override=b"{not json"), "model", "header is not valid JSON")
put("model-json-array.aek", model(header_override=b"[1, 2, 3]"), "model", "header is array, not a JSON object")
put("model-non-utf8.aek", model(header_override=b'{"__metadata__": {"format": "\xff\xfe"}}'), "model",
    "header is not valid JSON")
put("model-deep-nesting.aek", model(header_override=b"[" * 100000 + b"]" * 100000), "model",
    "header is array, not a JSON object")
put("model-deep-nesting-bad.aek", model(header_override=b"[" * 200000), "model", "header is not valid JSON")
dup = b'{"w": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}, "w": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}'
put("model-duplicate-names.aek", model(header_override=dup, shapes=[("w", [1])]), "model", "duplicate key 'w'")
put("model-dtype-f16.aek",
    model(header_override=raw_header({"w": {"dtype": "F16", "shape": [2], "data_offsets": [0, 4]}}), shapes=[("w", [1])]),
    "model", "has dtype F16; aekit reads F32 and I64 only")
put("model-dtype-number.aek",
    model(header_override=raw_header({"w": {"dtype": 7, "shape": [1], "data_offsets": [0, 4]}}), shapes=[("w", [1])]),
    "model", "has a dtype that is an integer")
put("model-5d.aek", model(header_override=raw_header({"w": {"dtype": "F32", "shape": [1, 1, 1, 1, 1], "data_offsets": [0, 4]}}),
                          shapes=[("w", [1])]), "model", "has 5 dimensions")
put("model-negative-dim.aek", model(header_override=raw_header({"w": {"dtype": "F32", "shape": [-1], "data_offsets": [0, 4]}}),
                                    shapes=[("w", [1])]), "model", "has a negative dimension (-1)")
put("model-dim-2pow64.aek",
    model(header_override=raw_header({"w": {"dtype": "F32", "shape": [18446744073709551615], "data_offsets": [0, 4]}}),
          shapes=[("w", [1])]), "model", "has a shape whose size overflows")
put("model-shape-overflow.aek",
    model(header_override=raw_header({"w": {"dtype": "F32", "shape": [4294967296, 4294967296], "data_offsets": [0, 4]}}),
          shapes=[("w", [1])]), "model", "has a shape whose size overflows ([4294967296, 4294967296])")
put("model-offsets-mismatch.aek",
    model(header_override=raw_header({"w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 4]}}), shapes=[("w", [1])]),
    "model", "has shape [2] (8 bytes) but data_offsets [0, 4]")
put("model-offsets-overlap.aek",
    model(header_override=raw_header({"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},
                                      "b": {"dtype": "F32", "shape": [2], "data_offsets": [4, 12]}}),
          shapes=[("w", [3])]), "model", "overlap in the data buffer")
put("model-offsets-gap.aek",
    model(header_override=raw_header({"a": {"dtype": "F32", "shape": [1], "data_offsets": [4, 8]}}), shapes=[("w", [2])]),
    "model", "gap in the data buffer before tensor 'a'")
put("model-offsets-past-end.aek",
    model(header_override=raw_header({"a": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]}}), shapes=[("w", [1])]),
    "model", "truncated: header describes 16 bytes of tensor data, file has 4")
put("model-offsets-2pow64.aek",
    model(header_override=raw_header({"a": {"dtype": "F32", "shape": [1], "data_offsets": [18446744073709551612, 18446744073709551616]}}),
          shapes=[("w", [1])]), "model", "data offset")
put("model-trailing-bytes.aek", model(extra=b"\x00" * 4), "model", "4 unexpected bytes after the tensor data")
put("model-truncated-data.aek", model()[:-3], "model", "truncated")
put("model-nan.aek", model(values=lambda d: struct.pack("<f", float("nan")) + d[4:]), "model", "holds nan")
put("model-metadata-not-string.aek",
    model(header_override=json.dumps({"__metadata__": {"format": 1}}).encode(), shapes=[]), "model",
    "__metadata__ 'format' is an integer, expected a string")
put("model-no-format.aek", model(meta=metadata(format=None)), "model", "safetensors metadata \"format\" is missing")
put("model-format-version-2.aek", model(meta=metadata(format_version="2")), "model",
    "aekit model format version '2' is not supported")
put("model-architecture-not-json.aek", model(meta=metadata(architecture="{oops")), "model",
    "model metadata 'architecture' is not valid JSON")
put("model-architecture-missing.aek", model(meta=metadata(architecture=None)), "model",
    "model metadata has no 'architecture' entry")
put("model-architecture-40000.aek", model(meta=metadata(architecture=arch(encoder=[40000, 40000], decoder=[40000, 40000]))),
    "model", "tensor 'encoder.0.weight' has shape [2, 4], the architecture needs [40000, 40000]")
put("model-architecture-2pow32.aek",
    model(meta=metadata(architecture=arch(encoder=[4294967296, 4294967296], decoder=[4294967296, 4294967296]))), "model",
    "has size 4294967296; sizes must be integers in 1..268435456")
put("model-architecture-float-size.aek", model(meta=metadata(architecture=arch(encoder=[4, 1e300], decoder=[1e300, 4]))),
    "model", "has size 1e+300")
put("model-architecture-many-layers.aek", model(meta=metadata(architecture=arch(encoder=[4] * 2000, decoder=[4] * 2000))),
    "model", "has 2000 sizes; at most 1024")
put("model-architecture-type.aek", model(meta=metadata(architecture=arch(type="conv"))), "model",
    "unsupported model type 'conv'")
put("model-architecture-activation.aek", model(meta=metadata(architecture=arch(activation="\x1b[2Jswish"))), "model",
    "\\x1B[2Jswish")
put("model-dropout-huge.aek", model(meta=metadata(architecture=arch(dropout=1e300))), "model",
    "'dropout' is 1e+300, not a number in the float range")
put("model-image-size-wraps.aek",
    model(meta=metadata(data=json.dumps({"image_height": 2, "image_width": 4611686018427387906}))), "model",
    "image size 2x4611686018427387906 does not match the input size 4")
put("model-image-size-negative.aek", model(meta=metadata(data=json.dumps({"image_height": -2, "image_width": -2}))),
    "model", "image size -2x-2 does not match the input size 4")
put("model-image-size-float.aek", model(meta=metadata(data=json.dumps({"image_height": 2.5, "image_width": 2}))),
    "model", "lacks image_height/image_width integers")
put("model-preprocessing-huge.aek",
    model(meta=metadata(preprocessing=json.dumps({"kind": "scale", "features": 1 << 40, "max_abs": 255}))), "model",
    "preprocessing has 1099511627776 features but the model's input has 4")
put("model-preprocessing-kind.aek", model(meta=metadata(preprocessing=json.dumps({"kind": "whiten", "features": 4}))),
    "model", "whiten")
put("model-loss-unknown.aek", model(meta=metadata(loss="hinge")), "model", "unknown loss 'hinge' in the model metadata")
put("model-missing-tensor.aek", model(shapes=SHAPES[:3]), "model", "model has no tensor 'decoder.0.bias'")
put("model-extra-tensor.aek", model(shapes=SHAPES + [("extra", [1])]), "model", "unexpected tensor 'extra'")
put("model-wrong-shape.aek", model(shapes=[("encoder.0.weight", [4, 2])] + SHAPES[1:]), "model",
    "tensor 'encoder.0.weight' has shape [4, 2], the architecture needs [2, 4]")
put("model-max-abs-huge.aek",
    model(meta=metadata(preprocessing=json.dumps({"kind": "scale", "features": 4, "max_abs": 1e300}))), "model",
    "'max_abs' must be a positive finite number")

# Today's architecture (what main writes): an input shape and layer specs, planned by the layer
# registry and checked against the stored tensors before anything is built.
LAYERS = {"type": "autoencoder", "input_shape": [4], "init": "pytorch", "init_sigma": 0.1,
          "encoder": [{"kind": "dense", "out": 2, "activation": "sigmoid"}],
          "decoder": [{"kind": "dense", "out": 4, "activation": "sigmoid"}]}


def layers(**changes):
    a = dict(LAYERS)
    a.update(changes)
    return json.dumps(a)


def dense(out):
    return {"kind": "dense", "out": out}


put("valid-layers.aek", model(meta=metadata(architecture=layers())), "model", "")
put("model-layers-40000.aek", model(meta=metadata(architecture=layers(encoder=[dense(40000)], decoder=[dense(4)]))),
    "model", "tensor 'encoder.0.weight' has shape [2, 4], the architecture needs [40000, 4]")
put("model-layers-out-2pow32.aek", model(meta=metadata(architecture=layers(encoder=[dense(1 << 32)]))), "model",
    "encoder layer 1 (dense(out=4294967296)): layer dense: out must be in [1, 2^24]")
put("model-layers-input-float.aek", model(meta=metadata(architecture=layers(input_shape=[1e300]))), "model",
    "'input_shape' has dimension 1e+300")
put("model-layers-input-huge.aek", model(meta=metadata(architecture=layers(input_shape=[65536, 65536]))), "model",
    "input shape [65536, 65536] is not a valid size")
put("model-layers-unknown-kind.aek", model(meta=metadata(architecture=layers(encoder=[{"kind": "teleport"}]))), "model",
    "unknown layer kind 'teleport'")
put("model-layers-dropout-p.aek",
    model(meta=metadata(architecture=layers(encoder=[dense(2), {"kind": "dropout", "p": 1e300}]))), "model",
    "dropout probability must be in [0, 1)")
put("model-layers-too-many.aek",
    model(meta=metadata(architecture=layers(decoder=[{"kind": "dropout", "p": 0.1}] * 5000 + [dense(4)]))), "model",
    "5001 decoder layers; at most 1024")
put("model-layers-decoder-size.aek", model(meta=metadata(architecture=layers(decoder=[dense(3)]))), "model",
    "the decoder ends with 3 values per sample but the input has 4")
put("model-layers-init-sigma.aek", model(meta=metadata(architecture=layers(init_sigma=1e300))), "model",
    "'init_sigma' 1e+300 is not a float")

# EASE's factored item map (layers/factored_ease.h): 4 items, 2 users, 3 interactions, each
# buffer written with its own values so that only the damage named fails.
FACTORED = {"type": "autoencoder", "input_shape": [4], "init": "pytorch", "init_sigma": 0.1,
            "encoder": [{"kind": "factored_ease", "users": 2, "interactions": 3}],
            "decoder": [{"kind": "dropout", "p": 0.0}]}
FACTORED_VALUES = {"interactions": [0, 0, 1, 1, 2, 1, 0, 3, 0.5], "m": [0.5, 0.1, 0.1, 0.5],
                   "scale": [0.5] * 4, "self": [0.25] * 4, "gain": [1.5] * 4}


def factored(architecture=None, shapes=None, **changes):
    vals = dict(FACTORED_VALUES, **changes)
    header = {"__metadata__": metadata(architecture=json.dumps(architecture or FACTORED))}
    data = b""
    for name, v in vals.items():
        shape = (shapes or {}).get(name, [3, 3] if name == "interactions" else [2, 2] if name == "m" else [4])
        n = 1
        for d in shape:
            n *= d
        v = (v * n)[:n]
        header["encoder.0." + name] = {"dtype": "F32", "shape": shape, "data_offsets": [len(data), len(data) + 4 * n]}
        data += struct.pack("<%df" % n, *v)
    text = json.dumps(header).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    return struct.pack("<Q", len(text)) + text + data


put("valid-factored-ease.aek", factored(), "model", "")
put("model-factored-ease-user.aek", factored(interactions=[0, 0, 1, 2, 2, 1, 0, 3, 0.5]), "model",
    "layer factored_ease: interaction 1 (2, 2, 1) is not a user of 2, an item of 4 and a finite weight")
put("model-factored-ease-item.aek", factored(interactions=[0, 0, 1, 1, 2, 1, 0, 4, 0.5]), "model",
    "layer factored_ease: interaction 2 (0, 4, 0.5) is not a user of 2")
put("model-factored-ease-fraction.aek", factored(interactions=[0, 0.5, 1, 1, 2, 1, 0, 3, 0.5]), "model",
    "layer factored_ease: interaction 0 (0, 0.5, 1) is not a user of 2")
put("model-factored-ease-self.aek", factored(self=[0.25, 1, 0.25, 0.25]), "model",
    "layer factored_ease: item 1 has scale 0.5, self 1, gain 1.5")
put("model-factored-ease-m-shape.aek", factored(shapes={"m": [2, 3]}), "model",
    "tensor 'encoder.0.m' has shape [2, 3], the architecture needs [2, 2]")
put("model-factored-ease-users-2pow40.aek",
    factored(architecture=dict(FACTORED, encoder=[{"kind": "factored_ease", "users": 1 << 40, "interactions": 3}])),
    "model", "layer factored_ease: users and items must be in [1, 2^24], got 1099511627776 and 4")
put("model-factored-ease-interactions-2pow62.aek",
    factored(architecture=dict(FACTORED, encoder=[{"kind": "factored_ease", "users": 2, "interactions": 1 << 62}])),
    "model", "layer factored_ease: 2 users and 4611686018427387904 interactions are more than it can hold")

with open(os.path.join(out_dir, "manifest.tsv"), "w") as f:
    for name, verb, expected in cases:
        f.write("%s\t%s\t%s\n" % (name, verb, expected))
print(len(cases))
