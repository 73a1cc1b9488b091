"""The stores' real partition hashes, vectorized: Cassandra's Murmur3 token and MongoDB's hash64.

Both are exact (checked against cassandra-driver and MongoDB's own test values in tests/simulator).
Keys are serialized the way the store serializes them, then hashed by compiled kernels over arrays.
"""

from __future__ import annotations

import datetime as _dt
import math
import uuid as _uuid
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from simulator._md5 import md5_head_numbers, md5_head_varlen
from simulator._murmur3 import murmur3_fixed, murmur3_int64, murmur3_varlen
from simulator.errors import SimulatorError

__all__ = [
    "CQL_TYPES",
    "cassandra_token",
    "cassandra_key_bytes",
    "mongodb_hash",
    "mongodb_hash_int64",
    "MONGODB_CANONICAL_TYPE",
]

#: Bytes each fixed-width CQL type takes in the native protocol (None = variable length).
CQL_TYPES: dict[str, int | None] = {"int": 4, "bigint": 8, "timestamp": 8, "uuid": 16, "text": None, "blob": None}

#: MongoDB's canonicalizeBSONType (src/mongo/bson/bsontypes.h): what hash64 feeds MD5 after the seed.
MONGODB_CANONICAL_TYPE: dict[str, int] = {
    "null": 5,
    "number": 10,
    "string": 15,
    "object": 20,
    "array": 25,
    "bindata": 30,
    "objectid": 35,
    "bool": 40,
    "date": 45,
}

_INT64_MIN = -(2**63)
_INT64_MAX = 2**63 - 1
_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.UTC)


def _check_cql_type(cql_type: Any) -> tuple[str, ...]:
    parts = tuple(cql_type) if isinstance(cql_type, (tuple, list)) else (cql_type,)
    if not parts:
        raise SimulatorError("cql_type=(): give at least one component type, e.g. ('bigint', 'uuid')")
    for part in parts:
        if part not in CQL_TYPES:
            raise SimulatorError(f"cql_type={part!r} is not supported; use one of {', '.join(CQL_TYPES)}")
    return parts


def _ms(value: Any) -> int:
    if isinstance(value, _dt.datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=_dt.UTC)
        return (aware - _EPOCH) // _dt.timedelta(milliseconds=1)
    return int(value)


def _one_cql(value: Any, cql_type: str) -> bytes:
    """Native-protocol bytes of one value: what Cassandra hashes for a single-column partition key."""
    try:
        if cql_type == "text":
            return value.encode("utf-8") if isinstance(value, str) else bytes(value)
        if cql_type == "blob":
            return bytes(value)
        if cql_type == "uuid":
            if isinstance(value, _uuid.UUID):
                return value.bytes
            if isinstance(value, (bytes, bytearray)) and len(value) == 16:
                return bytes(value)
            return _uuid.UUID(str(value)).bytes
        width = CQL_TYPES[cql_type]
        assert width is not None  # the variable-width types (text, blob) returned above
        number = _ms(value) if cql_type == "timestamp" else int(value)
        return number.to_bytes(width, "big", signed=True)
    except (OverflowError, ValueError, TypeError, AttributeError) as exc:
        raise SimulatorError(f"value {value!r} cannot be serialized as CQL {cql_type}: {exc}") from None


def cassandra_key_bytes(value: Any, cql_type: str | tuple[str, ...]) -> bytes:
    """The partition key bytes Cassandra hashes; composite keys are <uint16 len><bytes><0x00> per part."""
    parts = _check_cql_type(cql_type)
    if len(parts) == 1 and not isinstance(cql_type, (tuple, list)):
        return _one_cql(value, parts[0])
    if len(value) != len(parts):
        raise SimulatorError(f"value {value!r} has {len(value)} components but cql_type has {len(parts)}")
    out = bytearray()
    for component, part in zip(value, parts, strict=True):
        raw = _one_cql(component, part)
        out += len(raw).to_bytes(2, "big") + raw + b"\x00"
    return bytes(out)


def _pack(chunks: Sequence[bytes]) -> tuple[np.ndarray, np.ndarray]:
    offsets = np.zeros(len(chunks) + 1, dtype=np.int64)
    np.cumsum([len(c) for c in chunks], out=offsets[1:])
    flat = np.frombuffer(b"".join(chunks), dtype=np.uint8) if offsets[-1] else np.zeros(1, np.uint8)
    return flat, offsets


def cassandra_token(values: Iterable[Any] | np.ndarray, cql_type: str | tuple[str, ...]) -> np.ndarray:
    """Murmur3Partitioner tokens (int64) of partition key values of the given CQL type(s).

    Integer arrays of "int", "bigint" or "timestamp" (ms since epoch) take a compiled path that never
    builds the bytes; a (n, 16) uint8 array is taken as raw uuid bytes; anything else is serialized
    per value and hashed as packed variable-length bytes.
    """
    parts = _check_cql_type(cql_type)
    single = len(parts) == 1 and not isinstance(cql_type, (tuple, list))
    if single and parts[0] in ("int", "bigint", "timestamp") and isinstance(values, np.ndarray):
        if values.dtype.kind in "iu":
            arr = np.ascontiguousarray(values, dtype=np.int64)
            if parts[0] == "int" and arr.size and (arr.min() < -(2**31) or arr.max() >= 2**31):
                raise SimulatorError("values: a CQL int must fit in 32 bits; use cql_type='bigint'")
            width = CQL_TYPES[parts[0]]
            assert width is not None  # int, bigint and timestamp are fixed-width
            return murmur3_int64(arr, width)
    if single and parts[0] == "uuid" and isinstance(values, np.ndarray) and values.dtype == np.uint8:
        if values.ndim != 2 or values.shape[1] != 16:
            raise SimulatorError(f"values: uuid bytes must have shape (n, 16), got {values.shape}")
        return murmur3_fixed(np.ascontiguousarray(values))
    encoded = [cassandra_key_bytes(v, cql_type) for v in values]
    if not encoded:
        return np.zeros(0, dtype=np.int64)
    flat, offsets = _pack(encoded)
    return murmur3_varlen(flat, offsets)


def _number_as_hash_long(value: int | float) -> int:
    # BSONElement::safeNumberLongForHash: NaN -> 0, saturate out of range, truncate toward zero.
    if isinstance(value, float):
        if math.isnan(value):
            return 0
        if value >= 2.0**63:
            return _INT64_MAX
        if value < -(2.0**63):
            return _INT64_MIN
        return int(value)
    if not _INT64_MIN <= value <= _INT64_MAX:
        raise SimulatorError(f"value {value!r} does not fit a BSON int64; MongoDB cannot store it as a number")
    return value


def _mongodb_message(value: Any) -> bytes:
    """Seed 0, canonical type, then the value bytes, as BSONElementHasher::hash64 feeds them to MD5."""
    from bson import ObjectId  # pymongo's bson: imported late so the simulator loads without it

    seed = b"\x00\x00\x00\x00"

    def head(kind: str) -> bytes:
        return seed + MONGODB_CANONICAL_TYPE[kind].to_bytes(4, "little")

    if value is None:
        return head("null")
    if isinstance(value, (bool, np.bool_)):
        return head("bool") + (b"\x01" if value else b"\x00")
    if isinstance(value, (int, float, np.integer, np.floating)):
        number = _number_as_hash_long(value.item() if isinstance(value, np.generic) else value)
        return head("number") + number.to_bytes(8, "little", signed=True)
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return head("string") + (len(raw) + 1).to_bytes(4, "little") + raw + b"\x00"
    if isinstance(value, ObjectId):
        return head("objectid") + value.binary
    if isinstance(value, _uuid.UUID):
        # Standard UUID representation: BinData subtype 4.
        return head("bindata") + (16).to_bytes(4, "little") + b"\x04" + value.bytes
    if isinstance(value, (bytes, bytearray)):
        return head("bindata") + len(value).to_bytes(4, "little") + b"\x00" + bytes(value)
    if isinstance(value, _dt.datetime):
        return head("date") + _ms(value).to_bytes(8, "little", signed=True)
    raise SimulatorError(
        f"value {value!r} of type {type(value).__name__} cannot be hashed like MongoDB here; "
        "use int, float, str, bool, None, bytes, uuid.UUID, datetime or bson.ObjectId"
    )


def mongodb_hash_int64(values: np.ndarray, canonical_type: int = MONGODB_CANONICAL_TYPE["number"]) -> np.ndarray:
    """hash64 of integer values (BSON int/long; or dates with canonical type 45), each distinct value once."""
    arr = np.ascontiguousarray(values, dtype=np.int64)
    if arr.size == 0:
        return np.zeros(0, dtype=np.int64)
    lo, hi = int(arr.min()), int(arr.max())
    if hi - lo < 4 * arr.size and arr.size > 64:
        # Small value range (tenant ids, codes): hash the range once, then look up; O(n), no sort.
        present = np.bincount(arr - lo, minlength=hi - lo + 1) > 0
        if present.sum() * 4 < arr.size:
            table = np.zeros(hi - lo + 1, dtype=np.int64)
            table[present] = md5_head_numbers(np.flatnonzero(present) + lo, canonical_type)
            return table[arr - lo]
    return md5_head_numbers(arr, canonical_type)


def mongodb_hash(values: Iterable[Any] | np.ndarray) -> np.ndarray:
    """MongoDB hashed-index keys (BSONElementHasher::hash64, seed 0) of the values, as int64."""
    if isinstance(values, np.ndarray) and values.dtype.kind in "iu":
        return mongodb_hash_int64(values)
    items = list(values)
    if not items:
        return np.zeros(0, dtype=np.int64)
    # Repeated keys (tenants, statuses) are common: hash each distinct message once.
    messages = [_mongodb_message(v) for v in items]
    distinct: dict[bytes, int] = {}
    inverse = np.fromiter((distinct.setdefault(m, len(distinct)) for m in messages), np.int64, len(messages))
    flat, offsets = _pack(list(distinct))
    return md5_head_varlen(flat, offsets)[inverse]
