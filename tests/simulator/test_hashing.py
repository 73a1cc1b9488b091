"""Exactness of the partitioner hashes against cassandra-driver, pymongo's bson, and MongoDB's own values."""

from __future__ import annotations

import datetime as dt
import hashlib
import struct
import uuid

import bson
import numpy as np
import pytest
from cassandra import cqltypes
from cassandra.metadata import Murmur3Token
from cassandra.query import SimpleStatement
from hypothesis import given
from hypothesis import strategies as st

from simulator._murmur3 import murmur3_columns, murmur3_varlen
from simulator.errors import SimulatorError
from simulator.hashing import cassandra_token, mongodb_hash

INT32 = st.integers(-(2**31), 2**31 - 1)
INT64 = st.integers(-(2**63), 2**63 - 1)
PROTOCOL = 4
DRIVER_TYPES = {
    "int": cqltypes.Int32Type,
    "bigint": cqltypes.LongType,
    "timestamp": cqltypes.DateType,
    "text": cqltypes.UTF8Type,
    "uuid": cqltypes.UUIDType,
    "blob": cqltypes.BytesType,
}


def driver_token(value, cql_type) -> int:
    """The driver's own serialization and routing-key packing, then its Murmur3 hash."""
    if isinstance(cql_type, tuple):
        stmt = SimpleStatement("SELECT 1")
        stmt.routing_key = [DRIVER_TYPES[t].serialize(v, PROTOCOL) for v, t in zip(value, cql_type, strict=False)]
        return Murmur3Token.hash_fn(stmt.routing_key)
    return Murmur3Token.hash_fn(DRIVER_TYPES[cql_type].serialize(value, PROTOCOL))


def test_cassandra_known_values():
    assert cassandra_token([1, 2, 3], "int").tolist() == [
        -4069959284402364209,
        -3248873570005575792,
        9010454139840013625,
    ]
    assert cassandra_token(np.array([1, 2, 3]), "int").tolist() == [
        -4069959284402364209,
        -3248873570005575792,
        9010454139840013625,
    ]


@given(st.lists(st.binary(max_size=70), min_size=1, max_size=20))
def test_murmur3_equals_driver_on_any_bytes(chunks):
    offsets = np.cumsum([0] + [len(c) for c in chunks])
    flat = np.frombuffer(b"".join(chunks) or b"\x00", dtype=np.uint8)
    got = murmur3_varlen(flat, offsets)
    assert got.tolist() == [Murmur3Token.hash_fn(c) for c in chunks]


@pytest.mark.parametrize("length", range(0, 34))
def test_sign_extended_tail_bytes(length):
    # Every tail byte >= 0x80 is where Cassandra's hash differs from the reference MurmurHash3.
    data = bytes((0x80 + i * 7) % 256 | 0x80 for i in range(length))
    assert cassandra_token([data], "blob")[0] == Murmur3Token.hash_fn(data)


@given(st.lists(INT32, min_size=1, max_size=30))
def test_int_matches_driver(values):
    expected = [driver_token(v, "int") for v in values]
    assert cassandra_token(np.array(values, dtype=np.int64), "int").tolist() == expected
    assert cassandra_token(values, "int").tolist() == expected


@given(st.lists(INT64, min_size=1, max_size=30))
def test_bigint_matches_driver(values):
    expected = [driver_token(v, "bigint") for v in values]
    assert cassandra_token(np.array(values, dtype=np.int64), "bigint").tolist() == expected


@given(
    st.lists(
        st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2200, 1, 1)), min_size=1, max_size=10
    )
)
def test_timestamp_matches_driver(values):
    values = [v.replace(microsecond=v.microsecond // 1000 * 1000) for v in values]
    assert cassandra_token(values, "timestamp").tolist() == [driver_token(v, "timestamp") for v in values]


@given(st.lists(st.text(max_size=40), min_size=1, max_size=10))
def test_text_matches_driver(values):
    assert cassandra_token(values, "text").tolist() == [driver_token(v, "text") for v in values]


@given(st.lists(st.uuids(), min_size=1, max_size=10))
def test_uuid_matches_driver(values):
    expected = [driver_token(v, "uuid") for v in values]
    assert cassandra_token(values, "uuid").tolist() == expected
    raw = np.frombuffer(b"".join(v.bytes for v in values), dtype=np.uint8).reshape(-1, 16)
    assert cassandra_token(raw, "uuid").tolist() == expected


@given(st.lists(st.tuples(INT64, st.text(max_size=20), st.uuids()), min_size=1, max_size=10))
def test_composite_matches_driver_routing_key(values):
    types = ("bigint", "text", "uuid")
    assert cassandra_token(values, types).tolist() == [driver_token(v, types) for v in values]


@given(st.lists(st.tuples(INT64, st.uuids()), min_size=1, max_size=20))
def test_column_kernel_matches_driver_for_composites(values):
    # The engine's kernel builds composite keys from int64 columns in place (uuid as hi/lo halves).
    a = np.array([v[0] for v in values], dtype=np.int64)
    hi = np.array([v[1].int >> 64 for v in values], dtype=np.uint64).view(np.int64)
    lo = np.array([v[1].int & (2**64 - 1) for v in values], dtype=np.uint64).view(np.int64)
    got = murmur3_columns(np.stack([a, hi, lo]), np.array([8, 8, 8]), np.array([0, 1, 1]), True)
    assert got.tolist() == [driver_token(v, ("bigint", "uuid")) for v in values]


def test_cassandra_rejects_bad_input():
    with pytest.raises(SimulatorError, match="cql_type='varchar'"):
        cassandra_token([1], "varchar")
    with pytest.raises(SimulatorError, match="32 bits"):
        cassandra_token(np.array([2**40]), "int")


MONGO_KNOWN = [
    (42, -944302157085130861),
    (0, 4854801880128277513),
    (1, 5902408780260971510),
    (-1, 1140205862565771219),
    ("abc", 8478485326885698097),
    ("", 2049396243249673340),
    (bson.ObjectId("010203040506070809101112"), -5588663249627035708),
    (True, 6405873908747105701),
    (None, 2338878944348059895),
]


def test_mongodb_known_values():
    values = [v for v, _ in MONGO_KNOWN]
    assert mongodb_hash(values).tolist() == [h for _, h in MONGO_KNOWN]
    assert mongodb_hash(np.array([42, 0, 1, -1])).tolist() == [h for _, h in MONGO_KNOWN[:4]]


# BSON type byte -> MongoDB's canonicalizeBSONType (src/mongo/bson/bsontypes.h).
CANONICAL = {0x01: 10, 0x10: 10, 0x12: 10, 0x02: 15, 0x07: 35, 0x08: 40, 0x0A: 5, 0x05: 30, 0x09: 45}


def reference_hash(value) -> int:
    """hash64 from pymongo's own BSON encoding of the element, and hashlib's MD5."""
    doc = bson.encode({"": value})
    type_byte, raw = doc[4], doc[6:-1]
    if type_byte in (0x01, 0x10, 0x12):  # numbers hash as int64, doubles truncated toward zero
        number = value if isinstance(value, int) else int(value)
        raw = struct.pack("<q", number)
    digest = hashlib.md5(struct.pack("<i", 0) + struct.pack("<i", CANONICAL[type_byte]) + raw).digest()
    return struct.unpack("<q", digest[:8])[0]


SCALARS = st.one_of(
    INT64,
    st.floats(min_value=-(2.0**62), max_value=2.0**62, allow_nan=False),
    st.text(max_size=60),
    st.booleans(),
    st.none(),
    st.binary(min_size=12, max_size=12).map(bson.ObjectId),
)


@given(st.lists(SCALARS, min_size=1, max_size=30))
def test_mongodb_hash_matches_bson_and_hashlib(values):
    assert mongodb_hash(values).tolist() == [reference_hash(v) for v in values]


@given(st.lists(INT64, min_size=1, max_size=50))
def test_mongodb_int_array_path_matches_list_path(values):
    assert mongodb_hash(np.array(values, dtype=np.int64)).tolist() == mongodb_hash(values).tolist()


def test_mongodb_number_edge_cases():
    # NaN hashes as 0 and out-of-range doubles saturate, like safeNumberLongForHash.
    assert mongodb_hash([float("nan")])[0] == mongodb_hash([0])[0]
    assert mongodb_hash([1e300])[0] == mongodb_hash([2**63 - 1])[0]
    assert mongodb_hash([-2.9])[0] == mongodb_hash([-2])[0]
    with pytest.raises(SimulatorError, match="int64"):
        mongodb_hash([2**64])


def test_mongodb_uuid_is_bindata_subtype_4():
    u = uuid.UUID(int=123456789)
    doc = bson.encode({"": bson.Binary.from_uuid(u)})
    digest = hashlib.md5(struct.pack("<ii", 0, 30) + doc[6:-1]).digest()
    assert mongodb_hash([u])[0] == struct.unpack("<q", digest[:8])[0]


@given(
    st.lists(st.tuples(st.sampled_from([4, 8]), st.booleans()), min_size=1, max_size=5),
    st.booleans(),
    st.lists(INT64, min_size=5, max_size=5),
)
def test_column_kernel_any_layout(layout, composite, seeds):
    # layout: (width, starts a new component?) per column; values drawn per column from the seeds.
    widths = [w for w, _ in layout]
    comp, k = [], 0
    for i, (_, new) in enumerate(layout):
        k += 1 if (new and i > 0) else 0
        comp.append(k)
    rng = np.random.default_rng(abs(seeds[0]) % 2**32)
    cols = rng.integers(-(2**63), 2**63 - 1, (len(layout), 4), dtype=np.int64)
    got = murmur3_columns(cols, np.array(widths), np.array(comp), composite)
    for i in range(cols.shape[1]):
        parts: dict[int, bytes] = {}
        for c, (w, k) in enumerate(zip(widths, comp, strict=False)):
            v = int(cols[c, i]) & ((1 << (8 * w)) - 1)
            parts[k] = parts.get(k, b"") + v.to_bytes(w, "big")
        raw = (
            b"".join(len(p).to_bytes(2, "big") + p + b"\x00" for p in parts.values())
            if composite
            else b"".join(parts.values())
        )
        assert got[i] == Murmur3Token.hash_fn(raw)
