"""DynamoDB design and item-mapping speed, each against a baseline measured in the same run.

1. Design: `TARGET.design(schema, default_workload(schema))` for the largest corpus schema against the
   baseline of ingesting that schema (`load_schema`). Goal: ratio <= 1.0 (designing costs no more than
   reading the DDL).
2. Items: `rows_to_items` (keys in order-preserving encodings + attribute values) for the e-commerce
   sample's generated rows against the baseline of boto3's `TypeSerializer` writing those same items to
   DynamoDB's wire format, which every write pays anyway. Goal: ratio <= 3.0.

    .venv/bin/python benchmarks/bench_dynamodb.py [--file PATH] [--rows N] [--repeat N]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from _timing import CORPUS, ROOT, best_of  # noqa: E402  (puts the project on sys.path)
from boto3.dynamodb.types import TypeSerializer  # noqa: E402

from translator.sample_rows import sample_rows  # noqa: E402
from translator.sources import load_schema  # noqa: E402
from translator.targets.dynamodb import TARGET, rows_to_items  # noqa: E402
from translator.workload import default_workload, load_workload  # noqa: E402

DEFAULT_FILE = CORPUS / "postgres" / "musicbrainz.sql"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--rows", type=int, default=600)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    ingest_t, schema = best_of(args.repeat, lambda: load_schema([str(args.file)]))
    workload = default_workload(schema)
    design_t, design = best_of(args.repeat, lambda: TARGET.design(schema, workload))
    ratio = design_t / ingest_t
    print(
        f"design {args.file.name} ({len(schema.entities)} entities, {len(workload.access_patterns)} patterns): "
        f"ingest {ingest_t:.3f} s, design {design_t:.3f} s; ratio {ratio:.3f} (goal <= 1.0)"
    )

    shop = load_schema([str(ROOT / "samples" / "ecommerce.sql")])
    shop_design = TARGET.design(shop, load_workload(str(ROOT / "samples" / "ecommerce.workload.yaml"), shop))
    rows = sample_rows(shop, args.rows, seed=0)
    count = sum(len(v) for v in rows.values())
    map_t, items = best_of(args.repeat, lambda: rows_to_items(shop, shop_design, rows))
    serializer = TypeSerializer()
    wire_t, _ = best_of(
        args.repeat,
        lambda: [{k: serializer.serialize(v) for k, v in item.items()} for table in items.values() for item in table],
    )
    print(
        f"items: {count:,} rows -> items {map_t * 1e3:.1f} ms, TypeSerializer {wire_t * 1e3:.1f} ms; "
        f"ratio {map_t / wire_t:.2f} (goal <= 3.0)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
