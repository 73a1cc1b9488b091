"""Turn a chunk's key columns into what each store routes on: tokens, hashes, order-preserving ordinals."""

from __future__ import annotations

import math

import numpy as np

from simulator._md5 import md5_head_fixed
from simulator._murmur3 import murmur3_columns, murmur3_int64
from simulator.data import Chunk, Dataset, KeySpec
from simulator.hashing import MONGODB_CANONICAL_TYPE, cassandra_token, mongodb_hash, mongodb_hash_int64

__all__ = ["cassandra_tokens", "column_layout", "has_literal_values", "mongodb_hashes", "ordinals", "encoding_notes"]

_SIGN = np.uint64(1 << 63)


def _real_values(data: Dataset, name: str) -> tuple | None:
    """The literal values of a categorical field when every code has one (workload statistics)."""
    spec = data.fields[name]
    if spec.kind == "categorical" and spec.values and len(spec.values) == spec.distinct:
        return spec.values
    return None


def encoding_notes(key: KeySpec, data: Dataset) -> list[str]:
    """Where a key is hashed on stand-ins rather than literal values (the distribution is the same)."""
    notes = []
    for name in key.fields:
        spec = data.fields[name]
        if spec.kind == "categorical" and not _real_values(data, name) and spec.values:
            notes.append(
                f"field {name!r}: values beyond its most_common list are stand-in integers, hashed as bigint"
            )
    return notes


def cassandra_tokens(key: KeySpec, data: Dataset, chunk: Chunk) -> np.ndarray:
    """Murmur3 tokens of the rows' partition keys (composite when the key has several fields)."""
    if len(key.fields) == 1:
        name = key.fields[0]
        values = _real_values(data, name)
        if values is not None:
            kind = "bigint" if all(isinstance(v, int) and not isinstance(v, bool) for v in values) else "text"
            table = cassandra_token([v if kind == "bigint" else str(v) for v in values], kind)
            return table[chunk.columns[name][0]]
        spec = data.fields[name]
        if len(spec.widths) == 1:
            return murmur3_int64(np.ascontiguousarray(chunk.columns[name][0]), 8)
    return murmur3_columns(*column_layout(key, data, chunk))


def column_layout(key: KeySpec, data: Dataset, chunk: Chunk) -> tuple[np.ndarray, np.ndarray, np.ndarray, bool]:
    """The key as int64 columns, their byte widths and components, and whether it is composite."""
    cols, widths, comp = [], [], []
    for k, name in enumerate(key.fields):
        for col, width in zip(chunk.columns[name], data.fields[name].widths, strict=False):
            cols.append(col)
            widths.append(width)
            comp.append(k)
    return np.ascontiguousarray(np.stack(cols)), np.array(widths), np.array(comp), len(key.fields) > 1


def has_literal_values(key: KeySpec, data: Dataset) -> bool:
    """Whether a field hashes its literal values (workload most_common), not its int64 columns."""
    return any(_real_values(data, name) is not None for name in key.fields)


def _message_rows(kind: str, cols: list[np.ndarray]) -> np.ndarray:
    """hash64 input bytes for uuid (BinData subtype 4) and ObjectId columns, one row per value."""
    n = cols[0].shape[0]
    if kind == "objectid":
        msg = np.zeros((n, 20), np.uint8)
        msg[:, 4] = MONGODB_CANONICAL_TYPE["objectid"]
        msg[:, 8:16] = cols[0].astype(">i8").view(np.uint8).reshape(n, 8)
        msg[:, 16:20] = cols[1].astype(">i4").view(np.uint8).reshape(n, 4)
        return msg
    msg = np.zeros((n, 29), np.uint8)
    msg[:, 4] = MONGODB_CANONICAL_TYPE["bindata"]
    msg[:, 8] = 16
    msg[:, 12] = 4
    msg[:, 13:21] = cols[0].astype(">i8").view(np.uint8).reshape(n, 8)
    msg[:, 21:29] = cols[1].astype(">i8").view(np.uint8).reshape(n, 8)
    return msg


def mongodb_hashes(name: str, data: Dataset, chunk: Chunk) -> np.ndarray:
    """MongoDB hash64 of one field's values in the chunk."""
    values = _real_values(data, name)
    cols = chunk.columns[name]
    if values is not None:
        return mongodb_hash(list(values))[cols[0]]
    kind = data.fields[name].kind
    if kind == "categorical":  # codes 0..D-1: hash each distinct value once
        distinct = data.fields[name].distinct
        assert distinct is not None  # a categorical field always has weights
        return mongodb_hash_int64(np.arange(distinct, dtype=np.int64))[cols[0]]
    if kind in ("uuid4", "uuid7", "objectid"):
        return md5_head_fixed(_message_rows(kind, cols))
    if kind == "time":
        return mongodb_hash_int64(cols[0], MONGODB_CANONICAL_TYPE["date"])
    return mongodb_hash_int64(cols[0])


def _bits(data: Dataset, name: str) -> int:
    spec = data.fields[name]
    if spec.kind == "categorical":
        assert spec.distinct is not None  # a categorical field always has weights
        return max(1, math.ceil(math.log2(spec.distinct + 1)))
    if spec.kind == "serial":
        return max(1, math.ceil(math.log2(data.rows + 1)))
    return 64


def ordinals(key: KeySpec, data: Dataset, chunk: Chunk) -> tuple[np.ndarray, bool]:
    """uint64 values whose order is the shard key's order (hashed fields by their hash).

    Fields are packed high to low, each in the bits its value range needs; when they need more than 64
    bits the later fields keep only their high bits (returned flag True), which coarsens their order.
    """
    need = [64 if hashed else _bits(data, name) for name, hashed in zip(key.fields, key.hashed, strict=False)]
    # A hashed prefix only has to keep distinct values apart: 24+ bits leave room for later fields.
    spare = sum(need) - 64
    for i, hashed in enumerate(key.hashed):
        if hashed and spare > 0:
            give = min(spare, need[i] - 24)
            need[i] -= give
            spare -= give
    out = np.zeros(chunk.size, np.uint64)
    left = 64
    truncated = False
    for name, hashed, bits_wanted in zip(key.fields, key.hashed, need, strict=False):
        if left == 0:
            truncated = True
            break
        if hashed:
            value, bits = mongodb_hashes(name, data, chunk).view(np.uint64) ^ _SIGN, 64
        else:
            col = chunk.columns[name][0]
            bits = _bits(data, name)
            value = col.view(np.uint64) ^ _SIGN if bits == 64 else col.astype(np.uint64)
        take = min(bits_wanted, left)
        truncated |= take < bits and not hashed
        value = value >> np.uint64(bits - take)
        left -= take
        out |= value << np.uint64(left) if left < 64 else value
    return out, truncated
