"""`polyschema simulate --data SOURCE --entity TABLE`: the candidates on the user's real rows.

The options and the run live here so that `simulate_cmd` only needs a decorator and one call; the
work itself is `simulator.realdata.simulate_table` (read-only, streamed, optionally on Dask).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from translator.cli.common import EXIT_FINDINGS, EXIT_OK, UsageProblem, emit_json

if TYPE_CHECKING:
    from click._termui_impl import ProgressBar  # click's own annotation for progressbar()

__all__ = ["data_options", "simulate_on_data"]

_OPTIONS = [
    click.option(
        "--data",
        "data",
        default=None,
        metavar="SOURCE",
        help="Real rows: a database URL (postgresql://, mysql://, sqlite:///) or Parquet/CSV file, folder "
        "or glob. Read-only; only the key columns and one insertion-order column are read.",
    ),
    click.option(
        "--order-by",
        "order_by",
        default=None,
        help="With --data: the insertion-order column (default: a serial primary key or created_at).",
    ),
    click.option(
        "--sample",
        "sample",
        type=float,
        default=None,
        help="With --data: read about this fraction (TABLESAMPLE SYSTEM on PostgreSQL, key ranges elsewhere).",
    ),
    click.option(
        "--scheduler",
        "scheduler",
        default=None,
        metavar="tcp://HOST:PORT",
        help="With --data: run the range tasks on this Dask scheduler.",
    ),
    click.option(
        "--workers",
        "workers",
        type=int,
        default=None,
        help="With --data: start a local Dask cluster of N worker processes (default: in-process, no cluster).",
    ),
]


def data_options(func: Callable) -> Callable:
    """Add --data, --order-by, --sample, --scheduler and --workers (--entity is shared with --workload)."""
    for decorator in reversed(_OPTIONS):
        func = decorator(func)
    return func


def _config(opts: dict[str, Any], row_bytes: int | None):
    from simulator.engine import Traffic
    from simulator.stores import StoreConfig, store_model

    shards, nodes = store_model(opts["store"]).placement_counts(opts["shards"], opts["nodes"])
    share, _, seconds = (opts["hot_key"] or "0").partition(":")
    try:
        burst = (float(share), float(seconds) if seconds else 60.0)
    except ValueError:
        raise UsageProblem(f"--hot-key {opts['hot_key']!r}: give SHARE[:SECONDS], e.g. 0.2:60") from None
    config = StoreConfig(
        shards=shards,
        nodes=nodes,
        vnodes=opts["vnodes"],
        rf=opts["rf"],
        allocation=opts["allocation"],
        racks=opts["racks"],
        dcs=opts["dcs"],
        range_size_mb=opts["range_size_mb"],
        row_bytes=opts["row_bytes"] or row_bytes or 200,
        reads_per_second=opts["reads_per_second"],
        writes_per_second=opts["writes_per_second"],
        burst_share=burst[0],
        burst_seconds=burst[1],
    )
    return config, Traffic(opts["reads_per_second"], opts["writes_per_second"], None, None, *burst)


def _refuse_synthetic_options(opts: dict[str, Any]) -> None:
    for name, flag in (
        ("workload", "--workload"),
        ("read_skew", "--read-skew"),
        ("write_skew", "--write-skew"),
        ("rows", "--rows"),
    ):
        if opts.get(name):
            raise UsageProblem(f"{flag} describes generated rows; it cannot be combined with --data")
    if opts.get("sources"):
        raise UsageProblem("SOURCE... describes the entity for generated rows; with --data the table itself is read")
    if opts.get("isolate"):
        raise UsageProblem("--isolate needs generated tenants; it cannot be combined with --data")


def simulate_on_data(opts: dict[str, Any], human: Callable) -> None:
    """Run the candidates on the table, print them like a synthetic run (`human(results, ranked)`), exit
    0 / 1 (all alarmed). SimulatorErrors go up to the command, which names the option in them."""
    from simulator.realdata import describe_table, simulate_table
    from simulator.realdata.api import estimated_rows
    from simulator.realdata.tables import ReadOptions

    _refuse_synthetic_options(opts)
    if opts["workers"] is not None and opts["workers"] < 1:
        raise UsageProblem(f"--workers {opts['workers']}: must be at least 1, e.g. --workers 4")
    options = ReadOptions(sample=opts["sample"], seed=opts["seed"])
    info = describe_table(opts["data"], opts["entity"], opts["order_by"], options)
    config, traffic = _config(opts, info.row_bytes)
    run = lambda progress: simulate_table(  # noqa: E731
        opts["data"],
        opts["entity"],
        opts["keys"],
        opts["store"],
        config=config,
        traffic=traffic,
        order_by=opts["order_by"],
        sample=opts["sample"],
        scheduler=opts["scheduler"],
        workers=opts["workers"],
        seed=opts["seed"],
        progress=progress,
    )
    if sys.stderr.isatty():
        bar: ProgressBar[int]
        with click.progressbar(length=estimated_rows(info), label=f"reading {info.name}", file=sys.stderr) as bar:
            result = run(bar.update)
    else:
        result = run(None)
    _report(result, opts, human)


def _report(result, opts: dict[str, Any], human: Callable) -> None:
    ranked = result.ranked
    if opts["plot_path"]:
        from simulator.plot import plot_results

        try:
            plot_results(result.results, opts["plot_path"])
        except OSError as exc:
            raise UsageProblem(f"--plot {opts['plot_path']}: cannot write it ({exc.strerror or exc})") from None
    if opts["output_format"] == "json":
        emit_json(
            {
                "store": opts["store"],
                "seed": opts["seed"],
                "data": result.data_dict(),
                "candidates": [r.to_dict() for r in result.results],
                "ranking": [r.key for r in ranked],
            }
        )
    else:
        d = result.data_dict()
        estimate = f", catalog estimate {d['estimated_rows']:,}" if d["estimated_rows"] is not None else ""
        click.echo(
            f"data {d['source']} table {d['table']}: {d['rows_read']:,} rows read{estimate}, "
            f"{d['ranges']} range(s), {result.ran}"
        )
        for line in ([d["sampling"]] if d["sampling"] else []) + d["notes"]:
            click.echo(f"  note: {line}")
        human(result.results, ranked)
    raise SystemExit(EXIT_FINDINGS if all(r.alarms for r in result.results) else EXIT_OK)
