"""`simulate --data` on a live PostgreSQL table of N rows (default 10 million) against the floor:
`COPY (SELECT the key columns) TO STDOUT` into /dev/null by psql, timed in the same run.

Our run reads the key column and the insertion-order column (the serial id) through COPY, counts
values in mergeable partials, hashes and routes them (Cassandra, key tenant_id) and computes metrics.
The floor only moves the same columns from the server to /dev/null. Rounds alternate; medians are
reported as rows per second and their ratio (the aim: at least 0.5x the floor). It also prints the
speed-up of a 2-worker Dask LocalCluster over the in-process run.
Run: .venv/bin/python benchmarks/bench_simulate_data.py [ROWS] [ROUNDS]   (PostgreSQL at 127.0.0.1:5432)
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
import uuid

import psycopg
from _timing import ROOT  # noqa: F401 - puts the project on sys.path

from simulator.realdata import simulate_table

HOST, PORT, USER = "127.0.0.1", 5432, "postgres"


def _copy_floor(db: str) -> None:
    with open("/dev/null", "wb") as sink:
        subprocess.run(
            [
                "psql",
                "-h",
                HOST,
                "-p",
                str(PORT),
                "-U",
                USER,
                "-d",
                db,
                "-qc",
                "COPY (SELECT tenant_id, id FROM events) TO STDOUT",
            ],
            stdout=sink,
            check=True,
        )


def main(rows: int = 10_000_000, rounds: int = 3) -> None:
    db = f"polyschema_bench_{uuid.uuid4().hex[:8]}"
    admin = psycopg.connect(host=HOST, port=PORT, user=USER, dbname="postgres", autocommit=True)
    admin.execute(f'CREATE DATABASE "{db}"')
    url = f"postgresql://{USER}@{HOST}:{PORT}/{db}"
    try:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("CREATE TABLE events (id bigint PRIMARY KEY, tenant_id int NOT NULL, created_at timestamptz)")
            conn.execute(
                "INSERT INTO events SELECT g, (t * t * t) / 1000000000000000 + 1, now() "
                "FROM generate_series(1, %s) g, LATERAL (SELECT ((g * 2654435761) %% 4294967296) / 4294 AS t) s",
                (rows,),
            )
            conn.execute("VACUUM ANALYZE events")
        run = lambda workers=None: simulate_table(url, "events", ["tenant_id"], "cassandra", workers=workers)  # noqa: E731
        run()  # warm: compiled kernels loaded, table in the page cache
        ours, floor = [], []
        for _ in range(rounds):
            t = time.perf_counter()
            _copy_floor(db)
            floor.append(time.perf_counter() - t)
            t = time.perf_counter()
            run()
            ours.append(time.perf_counter() - t)
        t = time.perf_counter()
        run(workers=2)
        dask2 = time.perf_counter() - t
        ours_s, floor_s = statistics.median(ours), statistics.median(floor)
        print(f"rows: {rows:,}  ranges: {len(run().info.ranges)}")
        print(f"floor  COPY (SELECT tenant_id, id) TO STDOUT > /dev/null: {rows / floor_s:,.0f} rows/s")
        print(f"simulate --data (in-process):                          {rows / ours_s:,.0f} rows/s")
        print(f"ratio to the floor: {floor_s / ours_s:.2f}x (aim >= 0.5x)")
        print(
            f"2 local Dask workers (incl. cluster start): {rows / dask2:,.0f} rows/s, "
            f"speed-up {ours_s / dask2:.2f}x over in-process"
        )
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
        admin.close()


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
