"""Columns of one table: the entity's attributes, denormalized parents, children (rows or a UDT list)."""

from __future__ import annotations

from dataclasses import dataclass

from translator.diagnostics import DiagnosticSink
from translator.ir import Attribute, Entity, Schema
from translator.targets.cassandra.mapping import cql_type
from translator.targets.cassandra.model import ChildLayout, Column, Udt
from translator.targets.cassandra.names import NameSpace, column_name
from translator.targets.cassandra.shapes import Chain, Path, chain_label, entity_key
from translator.targets.cassandra.tables import Spec
from translator.targets.common import foreign_key_role
from translator.types import TypeKind
from translator.workload.stats import StatsView, estimate_value_bytes

__all__ = ["TableColumns", "build_columns"]


@dataclass(frozen=True)
class TableColumns:
    columns: tuple[Column, ...]
    by_source: dict[tuple[str, str, Path], str]  # (entity key, attribute, path) -> column name
    udts: tuple[Udt, ...]
    children: tuple[ChildLayout, ...]
    sizes: dict[str, tuple[float, float]]  # column -> (avg, max) bytes


def _scale(stats: StatsView, entity: Entity) -> float:
    """Given avg_row_bytes, scale the per-type estimates so the entity's columns add up to it."""
    given = stats.entity(entity)
    estimated = sum(estimate_value_bytes(a.type) for a in entity.attributes) or 1.0
    return (given.avg_row_bytes or estimated) / estimated


def role_name(schema: Schema, chain: Chain) -> str:
    """The role an ancestor plays for the table's entity, from the foreign keys that tell it apart from the
    other paths to the same entity (flights.origin_id -> `origin`): each step that has a sibling relationship
    between the same entities gives its own foreign-key attributes, less those every sibling shares (a
    tenant column) and an `_id` suffix; the relationship name when nothing is left."""
    parts = []
    for rel in chain:
        siblings = [r for r in schema.relationships_from(rel.from_entity) if r.to_entity == rel.to_entity]
        if len(siblings) < 2:
            continue
        parts.append(foreign_key_role(schema, rel) or rel.name)
    return "_".join(parts) or chain[0].name


def build_columns(
    schema: Schema,
    spec: Spec,
    stats: StatsView,
    sink: DiagnosticSink,
    udt_names: NameSpace,
    udt_cache: dict[str, Udt],
) -> TableColumns:
    """Columns of `spec`'s table; a child entity's UDT is made once (`udt_cache`) and shared by tables."""
    entity = spec.entity
    names = NameSpace()
    columns: list[Column] = []
    by_source: dict[tuple[str, str, Path], str] = {}
    sizes: dict[str, tuple[float, float]] = {}
    key_refs = {r.key for r in spec.partition} | {ref.key for ref, _ in spec.clustering}
    subject = f"{entity.key} (patterns {', '.join(spec.serves)})"

    def add(
        owner: Entity, attr: Attribute, wanted: str, scale: float, path: Path = (), source: str | None = None
    ) -> None:
        in_key = (owner.key, attr.name, path) in key_refs
        name = names.claim(column_name(wanted, sink, f"{owner.key}.{attr.name}"))
        type_ = cql_type(attr.type, in_key=in_key, default=attr.default)
        if in_key and type_ == "duration":
            sink.warning(
                "cassandra-duration-key",
                f"{owner.key}.{attr.name} is an interval (CQL duration), which "
                "cannot be part of a primary key; choose another key attribute",
                subject=f"{owner.key}.{attr.name}",
            )
        if attr.type.kind in (TypeKind.JSON, TypeKind.SPATIAL, TypeKind.OTHER):
            sink.info(
                "cassandra-as-text",
                f"{owner.key}.{attr.name} ({attr.type}) is stored as text: Cassandra has no such type",
                subject=f"{owner.key}.{attr.name}",
            )
        columns.append(Column(name, type_, source or f"{owner.key}.{attr.name}", owner.key, attr.name, path))
        by_source[(owner.key, attr.name, path)] = name
        size = estimate_value_bytes(attr.type) * scale
        sizes[name] = (size, size)

    scale = _scale(stats, entity)
    for attr in entity.attributes:
        add(entity, attr, attr.name, scale)
    roles: dict[str, int] = {}
    for parent, _ in spec.parents.values():
        roles[parent.key] = roles.get(parent.key, 0) + 1
    for path, (parent, chain) in spec.parents.items():
        wanted = spec.copies.get(path)
        # A direct parent's key equals the entity's foreign-key columns: not copied twice.
        skip = set(chain[0].to_attributes) if len(chain) == 1 else set()
        # One entity along two paths (a flight's origin and destination airport): each copy is named by its role.
        several = roles[parent.key] > 1
        prefix = role_name(schema, chain) if several else parent.name
        for attr in parent.attributes:
            in_key = (parent.key, attr.name, path) in key_refs
            needed = in_key or (wanted is None or attr.name in wanted)
            if needed and (attr.name not in skip or in_key):
                source = f"{chain_label(schema, chain)}.{attr.name}" if several else None
                add(parent, attr, f"{prefix}_{attr.name}", _scale(stats, parent), path, source)
    children: list[ChildLayout] = []
    if spec.row_child is not None:
        child, rel = spec.row_child.entity, spec.row_child.relationship
        taken = {c.name for c in columns}
        first = len(columns)
        for attr in child.attributes:
            if attr.name not in rel.from_attributes:
                row_name = attr.name if attr.name.lower() not in taken else f"{child.name}_{attr.name}"
                add(child, attr, row_name, _scale(stats, child))
        for ancestor, chain in spec.row_child.copies:
            for attr in ancestor.attributes:
                add(
                    ancestor,
                    attr,
                    f"{ancestor.name}_{attr.name}",
                    _scale(stats, ancestor),
                    tuple(r.name for r in chain),
                )
        children.append(
            ChildLayout(
                child.key,
                rel.name,
                "rows",
                key=entity_key(child),
                reached=spec.row_child.reached,
                columns=tuple(c.name for c in columns[first:]),
                copies=tuple((a.key, tuple(r.name for r in c)) for a, c in spec.row_child.copies),
            )
        )
    udts: list[Udt] = []
    for nested in spec.udt_children.values():
        child, rel = nested.entity, nested.relationship
        cache_key = f"{child.key}/{rel.name}/{nested.reached}"
        if cache_key not in udt_cache:
            udt_name = udt_names.claim(column_name(f"{child.name}_row".lower(), sink, subject))
            field_names = NameSpace()  # two source names may differ only by case: fields stay distinct
            members: list[tuple[Entity, Attribute, str, tuple[str, ...]]] = [
                (child, a, a.name, ()) for a in child.attributes if a.name not in rel.from_attributes
            ]
            members += [
                (anc, a, f"{anc.name}_{a.name}", tuple(r.name for r in chain))
                for anc, chain in nested.copies
                for a in anc.attributes
            ]
            fields = tuple(
                Column(
                    field_names.claim(column_name(wanted, sink, f"{owner.key}.{a.name}")),
                    cql_type(a.type, in_key=True, default=a.default),
                    f"{owner.key}.{a.name}",
                    owner.key,
                    a.name,
                    path,
                )
                for owner, a, wanted, path in members
            )
            udt_cache[cache_key] = Udt(udt_name, fields, child.key)
        udts.append(udt_cache[cache_key])
        udt_name = udt_cache[cache_key].name
        name = names.claim(column_name(child.name.lower(), sink, subject))
        columns.append(Column(name, f"frozen<list<{udt_name}>>", f"{child.key}[]", child.key, None))
        fan = stats.fanout(rel)
        row = sum(estimate_value_bytes(a.type) for a in child.attributes) * _scale(stats, child)
        row += sum(
            estimate_value_bytes(a.type) * _scale(stats, anc) for anc, _ in nested.copies for a in anc.attributes
        )
        sizes[name] = (row * fan.avg, row * (fan.max or fan.p99 or fan.avg))
        children.append(
            ChildLayout(
                child.key,
                rel.name,
                "udt-list",
                name,
                udt_name,
                entity_key(child),
                reached=nested.reached,
                copies=tuple((a.key, tuple(r.name for r in c)) for a, c in nested.copies),
            )
        )
    return TableColumns(tuple(columns), by_source, tuple(udts), tuple(children), sizes)
