"""Ingest of a generated 20,000-table schema against a bare sqlglot parse of the same text, in one run.

Baseline: `sqlglot.parse(text, read="postgres")`. Measured: `translator.ingest.ingest_text(text, "postgres")`
followed by `schema.many_to_many()` (what `inspect --format json` and every target call), the whole job.
The schema: every table has a primary key, a few columns and a foreign key to the previous table; every
tenth is a junction table whose two foreign keys cover its primary key. Goal: ratio <= 3 (issue 12: it was
8.8x, because `Schema.many_to_many` scanned every relationship for every entity). The two sides alternate
`--repeat` times and the verdict is the median of the per-round ratios.

    .venv/bin/python benchmarks/bench_ingest_scale.py [--tables 20000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import logging

import sqlglot  # noqa: E402
from _timing import timed  # puts the project on sys.path

from translator.ingest import ingest_text  # noqa: E402

GOAL = 3.0


def generate(tables: int) -> str:
    lines = ["CREATE TABLE t0 (id INT PRIMARY KEY, name VARCHAR(50));"]
    for i in range(1, tables):
        if i % 10 == 0:
            lines.append(
                f"CREATE TABLE t{i} (a_id INT REFERENCES t{i - 1}(id), b_id INT REFERENCES t{i - 2}(id), "
                f"since DATE, PRIMARY KEY (a_id, b_id));"
            )
        else:
            parent = i - 2 if (i - 1) % 10 == 0 and i > 1 else i - 1  # a plain table, not a junction
            lines.append(
                f"CREATE TABLE t{i} (id INT PRIMARY KEY, name VARCHAR(50) NOT NULL, amount NUMERIC(10, 2), "
                f"created_at TIMESTAMP DEFAULT now(), parent_id INT REFERENCES t{parent}(id));"
            )
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    logging.getLogger("sqlglot").setLevel(logging.ERROR)
    text = generate(args.tables)

    def ours() -> None:
        schema = ingest_text(text, "postgres")
        schema.many_to_many()
        ours.last = schema  # type: ignore[attr-defined]

    rounds = []
    for _ in range(args.repeat):
        base = timed(lambda: sqlglot.parse(text, read="postgres"))
        mine = timed(ours)
        rounds.append((base, mine))
    schema = ours.last  # type: ignore[attr-defined]
    per_round = sorted(m / b for b, m in rounds)
    ratio = per_round[len(per_round) // 2]
    print(
        f"schema: {len(schema.entities):,} tables, {len(schema.relationships):,} relationships, "
        f"{len(schema.many_to_many()):,} junctions ({len(text):,} chars)"
    )
    print(f"baseline sqlglot.parse(read=postgres): best {min(b for b, _ in rounds):.2f} s")
    print(f"polyschema ingest_text + many_to_many: best {min(m for _, m in rounds):.2f} s")
    print(f"per-round ratios: {', '.join(f'{r:.2f}' for r in per_round)}")
    print(
        f"ratio ingest/baseline (median of {args.repeat} rounds): {ratio:.2f}x (goal <= {GOAL}x) -> "
        f"{'OK' if ratio <= GOAL else 'OVER GOAL'}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
