"""`polyschema inspect SOURCE...`: the canonical model of a schema, with every diagnostic."""

from __future__ import annotations

import click

from translator.cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    UsageProblem,
    emit_json,
    format_option,
    handle_domain_errors,
    load_schema_from_options,
    source_options,
)

__all__ = ["command"]


@click.command(name="inspect")
@source_options
@format_option()
@click.option("--stats", is_flag=True,
              help="Database URL sources: also gather statistics (row counts, sizes, fan-out, key frequencies).")
@click.option("--exact", is_flag=True, help="With --stats: exact row counts (COUNT(*)) instead of catalog estimates.")
@click.option("--write-stats", type=click.Path(dir_okay=False, writable=True), default=None,
              help="With --stats: write the statistics as a workload file's `statistics` section to this YAML file.")
@click.option("--workload", "workload_path", type=click.Path(dir_okay=False), default=None,
              help="Workload YAML whose `tenant:` names the tenant column when no row-level-security policy does.")
@handle_domain_errors
def command(sources, dialect, namespaces, type_overrides, infer_relationships, output_format, stats, exact,
            write_stats, workload_path) -> None:
    """Read SOURCE (DDL files, a folder, '-', or a database URL) into the canonical model and report it."""
    from translator.sources import is_database_url

    if (exact or write_stats) and not stats:
        raise UsageProblem("--exact and --write-stats need --stats")
    if stats and not (len(sources) == 1 and is_database_url(sources[0])):
        raise UsageProblem("--stats needs a database URL as SOURCE (DDL files carry no statistics)")

    schema = load_schema_from_options(sources, dialect, namespaces, type_overrides, infer_relationships)
    statistics = statistics_dict = None
    if stats:
        from translator.introspect import gather_statistics
        from translator.workload import statistics_to_dict

        statistics = gather_statistics(sources[0], schema, namespaces=namespaces, exact=exact)
        statistics_dict = statistics_to_dict(statistics)
        if write_stats:
            import yaml

            try:
                with open(write_stats, "w", encoding="utf-8") as handle:
                    yaml.safe_dump({"version": 1, "statistics": statistics_dict}, handle, sort_keys=False)
            except OSError as exc:
                raise UsageProblem(f"--write-stats {write_stats}: cannot write it ({exc.strerror or exc})") from None

    from translator.tenancy import resolve_tenancy
    from translator.workload import load_workload

    tenancy = resolve_tenancy(schema, load_workload(workload_path, schema))
    if output_format == "json":
        payload = schema.to_dict()
        if statistics_dict is not None:
            payload["statistics"] = statistics_dict
        payload["tenancy"] = tenancy.to_dict()
        emit_json(payload)
    else:
        from translator.render import render_schema_human

        click.echo(render_schema_human(schema, statistics, tenancy))
    raise SystemExit(EXIT_FINDINGS if schema.partial else EXIT_OK)
