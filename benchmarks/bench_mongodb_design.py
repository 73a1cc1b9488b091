"""MongoDB design speed, each against a baseline measured in the same run.

1. Sizing: `sizing.array_bytes` (the exact BSON arithmetic) against the baseline of building a parent
   document with N embedded children and `len(bson.encode(doc))`. Goal: ratio <= 0.01 at N = 200 000,
   with equal byte counts (the arithmetic must be exact, not an approximation).
2. Design: `TARGET.design(schema, default_workload(schema))` for the largest corpus schema against the
   baseline of ingesting that schema (`load_schema`). Goal: ratio <= 1.0 (designing costs no more than
   reading the DDL).
3. Paths (issue 11): the same schema with the default workload plus 100 and then 200 read patterns along
   two-hop relationship paths (parent with children with grandchildren, or child with parent with
   grandparent), against the same ingest baseline. Goals: ratio <= 1.0 at 200 paths, and design time
   growing at most linearly with patterns x path length (the 200-path time over the 100-path time <= 2.2).

    .venv/bin/python benchmarks/bench_mongodb_design.py [--children N] [--file PATH] [--repeat N]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import bson  # noqa: E402
from _timing import CORPUS, best_of  # noqa: E402  (puts the project on sys.path)

from translator.sources import load_schema  # noqa: E402
from translator.targets.mongodb import TARGET  # noqa: E402
from translator.targets.mongodb.sizing import array_bytes, field_bytes, value_bytes  # noqa: E402
from translator.workload import default_workload  # noqa: E402
from translator.workload.model import AccessPattern, Workload  # noqa: E402

DEFAULT_FILE = CORPUS / "postgres" / "musicbrainz.sql"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=200_000)
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    child = {"line_no": 7, "sku": "x" * 20, "qty": 3}
    base_t, encoded = best_of(args.repeat, lambda: len(bson.encode({"_id": 1, "items": [child] * args.children})))
    ours_t, computed = best_of(
        args.repeat,
        lambda: value_bytes({"_id": 1}) + field_bytes("items", array_bytes(args.children, value_bytes(child))),
    )
    print(
        f"sizing {args.children:,} children: bson.encode {base_t * 1e3:.2f} ms ({encoded:,} bytes), "
        f"array_bytes {ours_t * 1e3:.4f} ms ({computed:,} bytes); ratio {ours_t / base_t:.5f} (goal <= 0.01); "
        f"exact: {encoded == computed}"
    )

    ingest_t, schema = best_of(args.repeat, lambda: load_schema([str(args.file)]))
    workload = default_workload(schema)
    design_t, design = best_of(args.repeat, lambda: TARGET.design(schema, workload))
    print(
        f"design {args.file.name} ({len(schema.entities)} entities, {len(schema.relationships)} relationships): "
        f"ingest {ingest_t:.3f} s, design {design_t:.3f} s; ratio {design_t / ingest_t:.2f} (goal <= 1.0); "
        f"{len(design.collections)} collections"
    )
    with_100, with_200 = (_with_paths(schema, workload, n) for n in (100, 200))
    t100, _ = best_of(args.repeat, lambda: TARGET.design(schema, with_100))
    t200, _ = best_of(args.repeat, lambda: TARGET.design(schema, with_200))
    print(
        f"paths: design with {len(with_200.access_patterns) - len(workload.access_patterns)} two-hop path patterns "
        f"{t200:.3f} s, with 100 {t100:.3f} s; ratio to ingest {t200 / ingest_t:.2f} (goal <= 1.0); "
        f"200/100 {t200 / t100:.2f} (goal <= 2.2, linear)"
    )
    return 0 if encoded == computed else 1


def _with_paths(schema, workload, count: int) -> Workload:
    """`count` two-hop read patterns, enumerated deterministically from the relationships."""
    extra = []
    rels = schema.relationships
    for upper in rels:
        for lower in schema.relationships_to(upper.from_entity):
            if len(extra) == count:
                break
            if lower != upper and lower.from_entity != upper.to_entity:
                down = len(extra) % 2 == 0
                entity, with_ = (
                    (upper.to_entity, (upper.from_entity, lower.from_entity))
                    if down
                    else (lower.from_entity, (upper.from_entity, upper.to_entity))
                )
                extra.append(AccessPattern(f"path{len(extra)}", entity, with_=with_, rate=10.0))
    return Workload(workload.access_patterns + tuple(extra), workload.statistics)


if __name__ == "__main__":
    raise SystemExit(main())
