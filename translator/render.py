"""The human form of a schema: tables with their columns and keys, relationships, then diagnostics.

Errors and warnings are listed one per line; info diagnostics are summarised by code (a pg_dump file has
hundreds of skipped `SET` and `OWNER TO` statements, which nobody wants to read one by one; `--format json`
has them all).
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from translator.diagnostics import Severity
from translator.ir import Attribute, Entity, Relationship, Schema

if TYPE_CHECKING:  # render is imported by every command; the workload package is only needed for the hint
    from translator.tenancy import Tenancy
    from translator.workload.model import Statistics

__all__ = ["render_schema_human"]

_MAX_LISTED = 60


def _column_flags(entity: Entity, attribute: Attribute) -> str:
    flags = []
    if attribute.name in entity.primary_key:
        flags.append("PK")
    if not attribute.nullable:
        flags.append("NOT NULL")
    if attribute.identity:
        flags.append("identity")
    if attribute.generated:
        flags.append(f"generated as {attribute.generated}")
    if attribute.default is not None and not attribute.identity:
        flags.append(f"default {attribute.default}")
    return "  ".join(flags)


def _entity_lines(entity: Entity, statistics: Statistics | None) -> list[str]:
    title = f"TABLE {entity.key}"
    stats = statistics.entities.get(entity.key) if statistics is not None else None
    if stats is not None:
        assumed = " (assumed)" if stats.assumed else ""
        size = f", ~{stats.avg_row_bytes:.0f} B/row" if stats.avg_row_bytes else ""
        title += f"  [~{stats.rows:,.0f} rows{size}{assumed}]"
    if entity.comment:
        title += f"  -- {entity.comment}"
    lines = [title]
    width = max((len(a.name) for a in entity.attributes), default=0)
    type_width = max((len(str(a.type)) for a in entity.attributes), default=0)
    for attribute in entity.attributes:
        flags = _column_flags(entity, attribute)
        lines.append(f"  {attribute.name:<{width}}  {str(attribute.type):<{type_width}}  {flags}".rstrip())
    if entity.primary_key:
        lines.append(f"  primary key ({', '.join(entity.primary_key)})")
    for key in entity.unique_keys:
        lines.append(f"  unique ({', '.join(key)})")
    for index in entity.indexes:
        unique = "unique " if index.unique else ""
        where = f" where {index.predicate}" if index.predicate else ""
        lines.append(f"  {unique}index {index.name or ''} ({', '.join(index.columns)}){where}".replace("  (", " ("))
    for check in entity.checks:
        lines.append(f"  check {check.name + ' ' if check.name else ''}{check.expression}")
    if entity.partition_by:
        lines.append(f"  partition by {entity.partition_by}")
    return lines


def _security_lines(schema: Schema, entity: Entity, tenancy: Tenancy | None) -> list[str]:
    lines = []
    if entity.row_security:
        lines.append(
            "  row-level security enabled" + (", forced on the owner too" if entity.force_row_security else "")
        )
    for policy in schema.policies_on(entity.key):
        mode = "permissive" if policy.permissive else "restrictive"
        text = f"  policy {policy.name} ({mode}, for {policy.command}, to {', '.join(policy.roles)})"
        text += f" using ({policy.using})" if policy.using is not None else ""
        text += f" with check ({policy.with_check})" if policy.with_check is not None else ""
        lines.append(text)
    column = tenancy.column(entity.key) if tenancy is not None else None
    if column is not None:
        origin = {
            "policy": f"from policy {', '.join(column.policies)}" if column.policies else "from the policies' tenant",
            "declared": "declared by the workload",
            "inferred": "inferred, assumed",
        }[column.source]
        lines.append(f"  tenant column {column.attribute} ({origin})")
    return lines


def _relationship_line(relationship: Relationship) -> str:
    optional = "optional" if relationship.optional else "mandatory"
    actions = "".join(
        f", on {verb} {action}"
        for verb, action in (("delete", relationship.on_delete), ("update", relationship.on_update))
        if action
    )
    inferred = f"  [inferred: {relationship.rule}]" if relationship.inferred else ""
    return (
        f"  {relationship.from_entity}({', '.join(relationship.from_attributes)}) -> "
        f"{relationship.to_entity}({', '.join(relationship.to_attributes)})  "
        f"{relationship.cardinality}, {optional}{actions}{inferred}"
    )


def render_schema_human(schema: Schema, statistics: Statistics | None = None, tenancy: Tenancy | None = None) -> str:
    """A readable summary of `schema`; `statistics` (a `translator.workload.model.Statistics`) adds row counts,
    `tenancy` (a `translator.tenancy.Tenancy`) the tenant column of each table and a TENANCY section."""
    if statistics is not None:
        from translator.workload.model import Statistics

        if not isinstance(statistics, Statistics):
            raise TypeError(
                f"render_schema_human(statistics=...) needs a translator.workload.model.Statistics or None, "
                f"got {type(statistics).__name__}"
            )
    counts = Counter(d.severity for d in schema.diagnostics)
    sources = ", ".join(schema.sources) or "input"
    header = (
        f"Schema from {sources}"
        + (f" (dialect {schema.dialect})" if schema.dialect else "")
        + f": {len(schema.entities)} tables, {len(schema.relationships)} relationships; "
        f"{counts[Severity.ERROR]} errors, {counts[Severity.WARNING]} warnings, {counts[Severity.INFO]} notes"
    )
    lines = [header]
    if schema.partial:
        lines.append("PARTIAL: something could not be read; see the errors below.")
    for entity in schema.entities:
        lines.append("")
        lines.extend(_entity_lines(entity, statistics))
        lines.extend(_security_lines(schema, entity, tenancy))
    if schema.relationships:
        lines += ["", "RELATIONSHIPS"] + [_relationship_line(r) for r in schema.relationships]
    junctions = schema.many_to_many()
    if junctions:
        lines += ["", "MANY-TO-MANY"] + [
            f"  {m.left.to_entity} <-> {m.right.to_entity} via {m.junction}" for m in junctions
        ]
    if tenancy is not None and tenancy.known:
        scoped = len(tenancy.columns)
        lines += [
            "",
            "TENANCY",
            f"  tenant root {tenancy.root or '(none found)'}; {scoped} of {len(schema.entities)} tables "
            f"carry a tenant column (mostly {tenancy.source})",
        ]
        lines += [f"  {d}" for d in tenancy.diagnostics if d.severity is not Severity.INFO]
    problems = [d for d in schema.diagnostics if d.severity is not Severity.INFO]
    if problems:
        lines += ["", "DIAGNOSTICS"]
        ordered = sorted(problems, key=lambda d: -d.severity.rank)
        lines += [f"  {d}" + (f"\n      {d.excerpt}" if d.excerpt else "") for d in ordered[:_MAX_LISTED]]
        if len(ordered) > _MAX_LISTED:
            lines.append(f"  ... and {len(ordered) - _MAX_LISTED} more (use --format json for all)")
    notes = Counter(d.code for d in schema.diagnostics if d.severity is Severity.INFO)
    if notes:
        lines += ["", "NOTES (info, summarised; --format json lists each)"]
        lines += [f"  {count:5d} x {code}" for code, count in notes.most_common()]
    return "\n".join(lines)
