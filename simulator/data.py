"""The rows a simulation streams: fields, their value model, and bounded-size chunks of key columns."""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from simulator.checks import check_count, require_memory
from simulator.errors import SimulatorError
from simulator.generators import ID_KINDS, SkewSpec, id_columns, split_counts, tenant_weights, weights_from_most_common

__all__ = [
    "FieldSpec",
    "Dataset",
    "Chunk",
    "KeySpec",
    "parse_key",
    "keys_on",
    "synthetic_dataset",
    "dataset_from_statistics",
]

#: Field kinds: "categorical" draws codes 0..D-1 from weights; the others are per-row and unique.
#: "integer" holds real int64 values read from a table (simulator.realdata), never generated.
FIELD_KINDS = ("categorical", "time", "integer") + ID_KINDS
#: Memory per tenant over a run: weights, counts, traffic and spread arrays, sorts (measured about 120).
_BYTES_PER_TENANT = 160


@dataclass(frozen=True, eq=False)
class FieldSpec:
    """One field of the simulated rows. `values[i]` is the real value of categorical code i, if known."""

    name: str
    kind: str
    weights: np.ndarray | None = None
    values: tuple = ()

    def __post_init__(self) -> None:
        if self.kind not in FIELD_KINDS:
            raise SimulatorError(f"field {self.name!r}: kind {self.kind!r} is not one of {', '.join(FIELD_KINDS)}")

    @property
    def distinct(self) -> int | None:
        """Number of distinct values, None when every row has its own."""
        return None if self.weights is None else int(self.weights.size)

    @property
    def widths(self) -> tuple[int, ...]:
        """Bytes per int64 column in the key's serialization (uuid 8+8, ObjectId 8+4)."""
        return {"uuid4": (8, 8), "uuid7": (8, 8), "objectid": (8, 4)}.get(self.kind, (8,))


@dataclass(frozen=True)
class KeySpec:
    """A candidate key: its fields in order and which of them are hashed (`hashed(field)`)."""

    fields: tuple[str, ...]
    hashed: tuple[bool, ...]

    def __str__(self) -> str:
        return ",".join(f"hashed({f})" if h else f for f, h in zip(self.fields, self.hashed, strict=False))


def parse_key(text: str, available: Sequence[str], argument: str = "key") -> KeySpec:
    """Parse `tenant_id,id` or `hashed(id)`; unknown fields get the closest known name suggested."""
    parts = [p.strip() for p in text.split(",")]
    if not text.strip() or any(not p for p in parts):
        raise SimulatorError("give comma-separated field names, e.g. tenant_id,id", argument, text)
    fields, hashed = [], []
    for part in parts:
        is_hashed = part.startswith("hashed(") and part.endswith(")")
        name = part[7:-1].strip() if is_hashed else part
        if name not in available:
            close = difflib.get_close_matches(name, list(available), n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"known fields: {', '.join(available)}"
            raise SimulatorError(f"unknown field {name!r}; {hint}", argument, text)
        if name in fields:
            raise SimulatorError(f"field {name!r} appears twice; list it once", argument, text)
        fields.append(name)
        hashed.append(is_hashed)
    if sum(hashed) > 1:
        raise SimulatorError("at most one hashed field per key, e.g. tenant_id,hashed(id)", argument, text)
    return KeySpec(tuple(fields), tuple(hashed))


def _key_names(text: str) -> list[str]:
    names = []
    for part in (p.strip() for p in text.split(",")):
        names.append(part[7:-1].strip() if part.startswith("hashed(") and part.endswith(")") else part)
    return [n for n in names if n]


def keys_on(data: Dataset, texts: Sequence[str], argument: str = "key") -> tuple[Dataset, list[KeySpec]]:
    """Parse candidate keys that name attributes of the simulated entity, adding the ones it lacks.

    The rule the targets print by: a key names attributes of the entity, `hashed(x)` for a hashed one.
    An attribute the rows do not model yet (no statistics, or synthetic rows) is simulated as unique per
    row: `_id` as MongoDB's server-generated ObjectId, anything else as a serial id, with a note. A
    name close to a known field is taken for a typo and refused with the suggestion.
    """
    fields = dict(data.fields)
    notes = list(data.notes)
    for text in texts:
        for name in _key_names(text):
            if name in fields or not name.replace("_", "").replace(".", "").isalnum():
                continue
            if name != "_id" and difflib.get_close_matches(name, list(fields), n=1, cutoff=0.8):
                continue  # parse_key names the typo and the field it probably means
            kind = "objectid" if name == "_id" else "serial"
            fields[name] = FieldSpec(name, kind)
            what = "MongoDB's server-generated ObjectId" if kind == "objectid" else "unique per row (a serial id)"
            notes.append(f"field {name!r} has no statistics: simulated as {what}")
    if len(fields) != len(data.fields):
        data = replace(data, fields=fields, notes=tuple(notes))
    return data, [parse_key(t, list(data.fields), argument) for t in texts]


@dataclass(frozen=True, eq=False)
class Dataset:
    """What to generate: `rows` rows whose `group` field (the tenant) has exactly `group_counts` rows each."""

    rows: int
    fields: dict[str, FieldSpec]
    group: str | None
    group_counts: np.ndarray | None
    row_bytes: int = 200
    inserts_per_second: float = 1000.0
    start_ms: int = 1_767_225_600_000  # 2026-01-01T00:00:00Z
    notes: tuple[str, ...] = field(default_factory=tuple)

    def ts_ms(self, row_index: np.ndarray) -> np.ndarray:
        return self.start_ms + (row_index * (1000.0 / self.inserts_per_second)).astype(np.int64)


@dataclass(frozen=True, eq=False)
class Chunk:
    """Rows [start, start + n) in insertion order: int64 columns per field, and each row's group code."""

    start: int
    columns: dict[str, list[np.ndarray]]
    group: np.ndarray | None

    @property
    def size(self) -> int:
        return next(iter(self.columns.values()))[0].shape[0] if self.columns else 0


def synthetic_dataset(
    tenants: int, rows: int, skew: SkewSpec, id_kind: str, rng: np.random.Generator, row_bytes: int = 200
) -> Dataset:
    """Rows with `tenant_id` (sizes from `skew`), `id` (per `id_kind`) and `ts` (insertion time)."""
    check_count("tenants", tenants, 1, example=1000)
    check_count("rows", rows, 1, example=1_000_000)
    check_count("row_bytes", row_bytes, 1, 2**40, example=200)
    if id_kind not in ID_KINDS:
        raise SimulatorError(f"use one of {', '.join(ID_KINDS)}", "id_kind", id_kind)
    require_memory(tenants * _BYTES_PER_TENANT, "tenants", tenants)
    weights = tenant_weights(skew, tenants, rng)
    counts = rng.multinomial(rows, weights)
    fields = {
        "tenant_id": FieldSpec("tenant_id", "categorical", weights),
        "id": FieldSpec("id", id_kind),
        "ts": FieldSpec("ts", "time"),
    }
    return Dataset(rows, fields, "tenant_id", counts, row_bytes=row_bytes)


def dataset_from_statistics(
    rows: int, attributes: dict[str, dict], rng: np.random.Generator, row_bytes: int = 200
) -> Dataset:
    """Rows of one workload entity. `attributes[name]` may hold `distinct` and `most_common` [(value, freq)].

    The attribute with the fewest distinct values among those with statistics becomes the group
    (tenant) whose per-value row counts are kept exact; attributes without statistics are unique per row.
    """
    check_count("rows", rows, 1, example=1_000_000)
    check_count("row_bytes", row_bytes, 1, 2**40, example=200)
    fields: dict[str, FieldSpec] = {}
    notes = []
    for name, stats in attributes.items():
        mc = stats.get("most_common") or []
        distinct = stats.get("distinct")
        if mc:
            w = weights_from_most_common([(v, f) for v, f in mc], distinct, total=rows if _counts(mc) else None)
            fields[name] = FieldSpec(name, "categorical", w, tuple(v for v, _ in mc))
        elif distinct and int(distinct) < rows:
            fields[name] = FieldSpec(name, "categorical", np.full(int(distinct), 1.0 / int(distinct)))
            notes.append(f"attribute {name!r}: no most_common statistics, values assumed uniform over {distinct}")
        else:
            fields[name] = FieldSpec(name, "serial")
            notes.append(f"attribute {name!r}: no statistics, simulated as unique per row (a serial id)")
    cats = [f for f in fields.values() if f.kind == "categorical"]
    group = min(cats, key=lambda f: f.distinct or math.inf).name if cats else None
    counts: np.ndarray | None = None
    if group:
        weights = fields[group].weights
        assert weights is not None  # a categorical field always has weights
        counts = rng.multinomial(rows, weights)
    return Dataset(rows, fields, group, counts, row_bytes=row_bytes, notes=tuple(notes))


def _counts(most_common: Sequence) -> bool:
    return sum(float(f) for _, f in most_common) > 1.0


def iter_chunks(
    data: Dataset, needed: Sequence[str], chunk_rows: int, rng: np.random.Generator, shuffle: bool
) -> Iterator[Chunk]:
    """Stream the rows in chunks of at most `chunk_rows`, generating only the `needed` fields.

    `shuffle` interleaves the groups' rows in insertion order (needed when order matters, i.e. for
    range sharding); hash partitioners see the same multiset of keys either way.
    """
    start = 0
    pieces = None
    if data.group:
        assert data.group_counts is not None  # a dataset with a group field has its counts
        pieces = split_counts(data.group_counts, chunk_rows, rng)
    while start < data.rows:
        if pieces is not None:
            part = next(pieces)
            group = np.repeat(np.arange(part.size, dtype=np.int64), part)
            if shuffle:
                group = rng.permutation(group)
        else:
            group = None
        n = group.size if group is not None else min(chunk_rows, data.rows - start)
        row_index = np.arange(start, start + n, dtype=np.int64)
        cols: dict[str, list[np.ndarray]] = {}
        for name in needed:
            spec = data.fields[name]
            if name == data.group:
                assert group is not None  # the group field's column comes from the split counts above
                cols[name] = [group]
            elif spec.kind == "categorical":
                assert spec.weights is not None  # a categorical field always has weights
                cols[name] = [rng.choice(spec.weights.size, n, p=spec.weights).astype(np.int64)]
            elif spec.kind == "time":
                cols[name] = [data.ts_ms(row_index)]
            else:
                ts = data.ts_ms(row_index) if spec.kind in ("uuid7", "objectid") else row_index
                cols[name] = id_columns(spec.kind, row_index, ts, rng)
        yield Chunk(start, cols, group)
        start += n
