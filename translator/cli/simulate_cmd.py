"""`polyschema simulate`: try shard/partition key candidates on simulated data with each store's real rules."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from translator.cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    UsageProblem,
    emit_json,
    format_option,
    handle_domain_errors,
    load_schema_from_options,
    optional_source_options,
)
from translator.cli.simulate_data import data_options, simulate_on_data

__all__ = ["command", "STORE_NAMES"]

_LONG_RUN_ROWS = 5_000_000
# The names of simulator.stores.STORES, spelled out: importing the registry loads numba, and
# `polyschema --help` builds this command. tests/simulator/test_cli.py keeps the two equal.
STORE_NAMES = ("cassandra", "mongodb-hashed", "mongodb-range", "dynamodb", "citus")


def _fail_on_simulator_errors(func):
    """The simulator never imports the translator; its SimulatorError becomes a one-line usage error here."""
    import functools

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from simulator.errors import SimulatorError

        try:
            return func(*args, **kwargs)
        except SimulatorError as exc:
            raise UsageProblem(_as_option_message(exc)) from None

    return wrapper


#: Library argument names whose option is not simply `--` + the name with dashes.
_OPTION_OF = {"burst_share": "--hot-key", "burst_seconds": "--hot-key", "shard_count": "--shards", "workers": "--nodes"}


def _as_option_message(exc) -> str:
    """`racks=0: must be ...` from the library becomes `--racks 0: must be ...` (the option the user typed)."""
    if exc.argument is None:
        return str(exc).splitlines()[0]
    option = _OPTION_OF.get(exc.argument, "--" + exc.argument.replace("_", "-"))
    if not exc.has_value or exc.value is None:
        return f"{option}: {exc.problem}".splitlines()[0]
    shown = repr(exc.value) if isinstance(exc.value, str) else str(exc.value)
    return f"{option} {shown}: {exc.problem}".splitlines()[0]


def _spec_from_schema(opts: dict[str, Any]):
    from translator.cli.simulate_schema import entity_spec_from_schema
    from translator.workload import load_workload

    schema = load_schema_from_options(opts["sources"], opts["dialect"], opts["namespaces"], opts["type_overrides"],
                                      opts["infer_relationships"])
    return entity_spec_from_schema(schema, load_workload(opts["workload"], schema), opts["entity"], opts["keys"])


def _load_workload(path: str, entity: str | None):
    import yaml

    from simulator.workload import entity_spec

    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageProblem(f"--workload {path}: cannot read it ({exc.__class__.__name__}: {exc})") from None
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else path
        raise UsageProblem(f"--workload {where}: not valid YAML ({getattr(exc, 'problem', exc)})") from None
    return entity_spec(doc, entity, source=path)


def _hot_key(text: str | None):
    from simulator.generators import HotKeyBurst

    if not text:
        return HotKeyBurst()
    share, _, seconds = text.partition(":")
    try:
        share_value, seconds_value = float(share), float(seconds) if seconds else 60.0
    except ValueError:
        raise UsageProblem(f"--hot-key {text!r}: give SHARE[:SECONDS], e.g. 0.2:60") from None
    return HotKeyBurst(share_value, seconds_value)


def _human(results, ranked) -> None:
    from simulator.report import growth_lines

    for r in results:
        m, o = r.metrics, r.ops_metrics
        click.echo(f"{r.store}  key {r.key}  ({r.rows:,} rows over {len(r.labels)} {r.unit}s)")
        click.echo(
            f"  rows: max/mean {m.max_over_mean:.2f}  cv {m.cv:.2f}  gini {m.gini:.2f}  "
            f"skew {m.skew_factor:.2f}  top share {m.top_share:.1%}"
        )
        click.echo(f"  requests/s: max/mean {o.max_over_mean:.2f}  top share {o.top_share:.1%}")
        kc = r.characteristics
        mono = "monotonic" if kc.monotonic else "not monotonic"
        click.echo(
            f"  key: {kc.distinct_values:,} distinct, largest value {kc.max_rows_per_value:,} rows, "
            f"{mono} (r={kc.monotonicity_r:.2f})"
        )
        if r.tenants_spread is not None:
            click.echo(f"  tenants on more than one {r.unit}: {r.tenants_spread:,}")
        targeted = sum(p["targeted"] for p in r.access_patterns)
        click.echo(f"  access patterns served by one {r.unit}: {targeted}/{len(r.access_patterns)}")
        for a in r.alarms:
            click.echo(f"  ALARM {a.code}: {a.message}")
        for note in r.notes:
            click.echo(f"  note: {note}")
        for line in growth_lines(r.details.get("grow")):
            click.echo(line)
    if len(results) > 1:
        click.echo("ranking (best first): " + "  ".join(f"{i + 1}. {r.key}" for i, r in enumerate(ranked)))


def _remedies(opts, keys, data, config, traffic) -> list:
    from simulator.remedy import remedy_whales

    return [remedy_whales(opts["store"], key, data, config, opts["seed"], traffic) for key in keys]


@click.command(name="simulate")
@optional_source_options
@click.option("--store", required=True, help=" | ".join(STORE_NAMES))
@click.option("--key", "keys", multiple=True, required=True,
              help="Comma-separated fields; hashed(f) hashes f. Repeat to compare.")
@click.option("--tenants", type=int, default=1000, show_default=True, help="Number of tenants (synthetic rows).")
@click.option("--rows", type=int, default=None,
              help="Rows to generate [default: 1,000,000, or the entity's rows]. Fewer than the entity's rows are a "
                   "sample standing for them: sizes, ranges and partition limits stay the entity's.")
@click.option("--skew", default="zipf:1.1", show_default=True,
              help="Tenant sizes: zipf:S, lognormal:SIGMA, pareto:A, uniform, whales:0.3,0.1")
@click.option("--id-kind", default="serial", show_default=True, help="serial | uuid4 | objectid | uuid7")
@click.option("--shards", type=int, default=None,
              help="MongoDB shards; Citus shard_count; DynamoDB minimum partitions.")
@click.option("--nodes", type=int, default=None, help="Cassandra nodes; Citus workers.")
@click.option("--vnodes", type=int, default=16, show_default=True, help="Cassandra num_tokens per node.")
@click.option("--rf", type=int, default=3, show_default=True, help="Cassandra replication factor.")
@click.option("--allocation", type=click.Choice(["random", "replication-aware"]), default="random", show_default=True)
@click.option("--racks", type=int, default=1, show_default=True)
@click.option("--dcs", type=int, default=1, show_default=True)
@click.option("--range-size-mb", type=float, default=128.0, show_default=True, help="MongoDB range (chunk) size.")
@click.option("--row-bytes", type=int, default=None, help="Average row size [default: 200, or the entity's].")
@click.option("--reads-per-second", type=float, default=10_000.0, show_default=True)
@click.option("--writes-per-second", type=float, default=1_000.0, show_default=True)
@click.option("--read-skew", default=None, help="Reads over tenants (default: in proportion to size).")
@click.option("--write-skew", default=None, help="Writes over tenants (default: in proportion to size).")
@click.option("--hot-key", default=None, help="SHARE[:SECONDS]: a burst of that share of reads on one key.")
@click.option("--isolate", type=int, default=0, show_default=True, help="Citus: isolate the N largest tenants.")
@click.option("--grow", type=int, default=0, show_default=True,
              help="Add N nodes/shards/workers after the run: data moved, time, balance after.")
@click.option("--move-mib-per-second", type=float, default=None,
              help="Throughput data moves at when growing [default: 24, Cassandra's stream_throughput_outbound].")
@click.option("--remedy", is_flag=True, default=False,
              help="Find whale tenants and simulate each store's remedy for them, before and after.")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--workload", type=click.Path(dir_okay=False), default=None,
              help="Workload YAML: rows and statistics of an entity.")
@click.option("--entity", default=None, help="Entity of the workload to simulate; with --data, the table to read.")
@click.option("--chunk-rows", type=int, default=4_000_000, show_default=True,
              help="Rows per streamed chunk (memory bound).")
@data_options
@format_option()
@click.option("--plot", "plot_path", type=click.Path(dir_okay=False, writable=True), default=None, help="Write a PNG.")
@handle_domain_errors
@_fail_on_simulator_errors
def command(**opts: Any) -> None:
    """Simulate shard/partition KEY candidates on a store and rank them side by side."""
    if opts["data"]:  # the user's real rows instead of generated ones
        return simulate_on_data(opts, _human)
    import numpy as np

    from simulator.checks import check_seed
    from simulator.data import dataset_from_statistics, keys_on, synthetic_dataset
    from simulator.engine import Traffic, rank, simulate
    from simulator.errors import SimulatorError
    from simulator.generators import parse_skew
    from simulator.stores import StoreConfig, sample_scale, store_model

    model = store_model(opts["store"])  # a typo fails before any work
    if opts["chunk_rows"] < 1:
        raise SimulatorError("must be >= 1, e.g. 4000000", "chunk_rows", opts["chunk_rows"])
    rng = np.random.default_rng(check_seed(opts["seed"]))
    patterns = None
    stands_for = None  # the entity's rows, when the generated rows are a sample of them
    if opts["sources"]:  # the entity's fields, rows and sizes as the translator reads them
        spec = _spec_from_schema(opts)
        rows = opts["rows"] or spec.rows
        data = dataset_from_statistics(
            rows, spec.attributes, rng, row_bytes=spec.row_bytes if opts["row_bytes"] is None else opts["row_bytes"]
        )
        patterns = spec.patterns or None
        stands_for = spec.rows
    elif opts["workload"]:
        spec = _load_workload(opts["workload"], opts["entity"])
        rows = opts["rows"] or spec.rows
        data = dataset_from_statistics(
            rows, spec.attributes, rng, row_bytes=spec.row_bytes if opts["row_bytes"] is None else opts["row_bytes"]
        )
        patterns = spec.patterns or None
        stands_for = spec.rows
    else:
        skew = parse_skew(opts["skew"], "skew")
        rows = 1_000_000 if opts["rows"] is None else opts["rows"]
        data = synthetic_dataset(
            opts["tenants"], rows, skew, opts["id_kind"], rng,
            row_bytes=200 if opts["row_bytes"] is None else opts["row_bytes"],
        )
    data, keys = keys_on(data, opts["keys"], "key")
    burst = _hot_key(opts["hot_key"])
    shards, nodes = model.placement_counts(opts["shards"], opts["nodes"])
    config = StoreConfig(
        shards=shards, nodes=nodes, vnodes=opts["vnodes"], rf=opts["rf"], allocation=opts["allocation"],
        racks=opts["racks"], dcs=opts["dcs"], range_size_mb=opts["range_size_mb"], row_bytes=data.row_bytes,
        reads_per_second=opts["reads_per_second"], writes_per_second=opts["writes_per_second"], isolate=opts["isolate"],
        burst_share=burst.share, burst_seconds=burst.seconds, row_scale=sample_scale(data.rows, stands_for),
    )
    traffic = Traffic(
        opts["reads_per_second"], opts["writes_per_second"],
        parse_skew(opts["read_skew"], "read_skew") if opts["read_skew"] else None,
        parse_skew(opts["write_skew"], "write_skew") if opts["write_skew"] else None,
        burst.share, burst.seconds,
    )
    total = data.rows * len(keys)
    show_bar = sys.stderr.isatty() and data.rows >= _LONG_RUN_ROWS
    if show_bar:
        with click.progressbar(length=total, label="simulating", file=sys.stderr) as bar:
            results = simulate(opts["store"], keys, data, config, opts["seed"], traffic, opts["chunk_rows"], bar.update,
                               patterns, grow=opts["grow"], move_mib_per_second=opts["move_mib_per_second"])
    else:
        results = simulate(opts["store"], keys, data, config, opts["seed"], traffic, opts["chunk_rows"], None, patterns,
                           grow=opts["grow"], move_mib_per_second=opts["move_mib_per_second"])
    ranked = rank(results)
    remedies = _remedies(opts, keys, data, config, traffic) if opts["remedy"] else None
    if opts["plot_path"]:
        from simulator.plot import plot_results

        try:
            plot_results(results, opts["plot_path"])
        except OSError as exc:
            raise UsageProblem(f"--plot {opts['plot_path']}: cannot write it ({exc.strerror or exc})") from None
    if opts["output_format"] == "json":
        emit_json(
            {
                "store": opts["store"],
                "seed": opts["seed"],
                "rows": data.rows,
                "row_scale": config.row_scale,
                "candidates": [r.to_dict() for r in results],
                "ranking": [r.key for r in ranked],
                **({"remedies": remedies} if remedies is not None else {}),
            }
        )
    else:
        if config.row_scale > 1:
            click.echo(f"sample: {data.rows:,} generated rows stand for the entity's {stands_for:,} "
                       f"(x{config.row_scale:,.4g}: sizes, ranges and partition limits are the entity's)")
        _human(results, ranked)
        for remedy in remedies or []:
            from simulator.report import remedy_lines

            click.echo("\n".join(remedy_lines(remedy)))
    # Findings: no candidate is free of alarms.
    raise SystemExit(EXIT_FINDINGS if all(r.alarms for r in results) else EXIT_OK)
