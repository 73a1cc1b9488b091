"""Drafts -> IR: resolve foreign-key targets (case-insensitively, across `public.x` vs `x`), fill in
referenced primary keys, derive cardinality and optionality, freeze everything into `translator.ir`."""

from __future__ import annotations

from dataclasses import replace

from translator.diagnostics import DiagnosticSink
from translator.ingest.build import SchemaBuilder
from translator.ingest.model import ForeignKeyDraft, TableDraft, fold
from translator.ir import (
    Attribute,
    CheckConstraint,
    Entity,
    Index,
    ReferentialAction,
    Relationship,
    derive_cardinality,
)

__all__ = ["freeze"]


def _spelling(table: TableDraft, names: tuple[str, ...]) -> tuple[str, ...] | None:
    """The table's own spelling of `names`, or None if one is not a column of it."""
    out = []
    for name in names:
        column = table.column(name)
        if column is None:
            return None
        out.append(column.name)
    return tuple(out)


def _inherit_partitions(builder: SchemaBuilder, sink: DiagnosticSink) -> None:
    """`CREATE TABLE p1 PARTITION OF p`: a partition has its parent's columns and keys."""
    for table in builder.tables:
        if table.partition_of is None or table.columns:
            continue
        parent = builder.find_table(table.partition_of)
        if parent is None:
            sink.warning("unknown-table", f"{table.key} is a partition of {'.'.join(p for p in table.partition_of if p)}, "
                         "which is not in the input", file=table.file, line=table.line, lost="its columns")
            continue
        table.columns = [replace(c) for c in parent.columns]
        table.primary_key = table.primary_key or parent.primary_key


def _known_key(table: TableDraft, columns: tuple[str, ...], what: str, origin: tuple[str, int],
               sink: DiagnosticSink) -> tuple[str, ...] | None:
    """The table's spelling of a key's columns, or None (with an error) when one is not a column of the table."""
    missing = [c for c in columns if table.column(c) is None and c not in table.expression_parts]
    if not missing:
        spelled = []
        for c in columns:
            column = table.column(c)
            spelled.append(c if c in table.expression_parts or column is None else column.name)
        return tuple(spelled)
    if not table.columns:  # its columns are already reported lost (no-columns, create-table-as, unknown-table)
        return None
    file, line = origin
    sink.error("unknown-key-column", f"{what} of {table.key} ({', '.join(columns)}) names "
               f"{', '.join(repr(c) for c in missing)}, which {'is not a column' if len(missing) == 1 else 'are not columns'} "
               f"of {table.key}", lost=f"this {what}", file=file, line=line, subject=table.key)
    return None


def _entity(table: TableDraft, sink: DiagnosticSink) -> Entity:
    origin = (table.file, table.line)
    primary_key = _known_key(table, table.primary_key, "primary key", table.key_origins.get(table.primary_key, origin),
                             sink) or ()
    unique_keys = [k for k in (_known_key(table, key, "unique key", table.key_origins.get(key, origin), sink)
                               for key in table.unique_keys) if k]
    indexes = []
    for index in table.indexes:
        what = "unique index" if index.unique else "index"
        columns = _known_key(table, index.columns, f"index {index.name}" if index.name else what,
                             (index.file or table.file, index.line or table.line), sink)
        if columns:
            indexes.append(Index(index.name, columns, index.unique, index.predicate, index.method, index.prefix_lengths))
    primary = {fold(c) for c in primary_key}
    attributes = tuple(
        Attribute(c.name, c.type, nullable=c.nullable and fold(c.name) not in primary, default=c.default,
                  identity=c.identity, generated=c.generated, comment=c.comment)
        for c in table.columns
    )
    return Entity(
        name=table.name,
        namespace=table.namespace,
        attributes=attributes,
        primary_key=primary_key,
        unique_keys=tuple(dict.fromkeys(unique_keys)),
        indexes=tuple(indexes),
        checks=tuple(CheckConstraint(n, text) for n, text in table.checks),
        comment=table.comment,
        partition_by=table.partition_by,
    )


def _relationship(builder: SchemaBuilder, fk: ForeignKeyDraft, entities: dict[int, Entity],
                  sink: DiagnosticSink) -> Relationship | None:
    where = {"file": fk.file, "line": fk.line, "subject": fk.table.key}
    target = builder.find_table(fk.target)
    label = ".".join(p for p in fk.target if p)
    if target is None:
        sink.warning("unresolved-reference", f"foreign key of {fk.table.key} references {label}, which is not in the input",
                     lost="this relationship", **where)
        return None
    target_columns = fk.target_columns or target.primary_key
    if not target_columns:
        sink.warning("unresolved-reference", f"foreign key of {fk.table.key} references {target.key} without columns, "
                     "and that table has no primary key", lost="this relationship", **where)
        return None
    from_columns = _spelling(fk.table, fk.columns)
    to_columns = _spelling(target, tuple(target_columns))
    if from_columns is None or to_columns is None or len(from_columns) != len(to_columns):
        sink.warning("unresolved-reference", f"foreign key {fk.table.key}({', '.join(fk.columns)}) -> "
                     f"{target.key}({', '.join(target_columns)}) names columns that do not exist or do not pair up",
                     lost="this relationship", **where)
        return None
    child = entities[id(fk.table)]
    optional = any(child.attribute(c).nullable for c in from_columns)
    name = fk.name or f"fk_{fk.table.name}_{'_'.join(from_columns)}"
    return Relationship(
        name=name,
        from_entity=child.key,
        from_attributes=from_columns,
        to_entity=entities[id(target)].key,
        to_attributes=to_columns,
        cardinality=derive_cardinality(child, from_columns),
        optional=optional,
        on_delete=referential_action(fk.on_delete, fk.dialect),
        on_update=referential_action(fk.on_update, fk.dialect),
    )


def referential_action(written: str | None, dialect: str | None) -> ReferentialAction | None:
    """The action as the engine keeps it: None for the default (NO ACTION everywhere; in MySQL also RESTRICT,
    which InnoDB checks the same way and MariaDB's catalog reports for a key written without a clause)."""
    if written is None:
        return None
    action = ReferentialAction(written)
    default = {ReferentialAction.NO_ACTION, ReferentialAction.RESTRICT} if dialect == "mysql" else {ReferentialAction.NO_ACTION}
    return None if action in default else action


def freeze(builder: SchemaBuilder, sink: DiagnosticSink) -> tuple[tuple[Entity, ...], tuple[Relationship, ...]]:
    """The entities and relationships the drafts describe; unresolved references become warnings."""
    _inherit_partitions(builder, sink)
    entities = {id(t): _entity(t, sink) for t in builder.tables}
    relationships: list[Relationship] = []
    seen: set[tuple] = set()
    for fk in builder.foreign_keys:
        relationship = _relationship(builder, fk, entities, sink)
        if relationship is None:
            continue
        identity = (relationship.from_entity, tuple(map(fold, relationship.from_attributes)),
                    relationship.to_entity, tuple(map(fold, relationship.to_attributes)))
        if identity in seen:
            continue
        seen.add(identity)
        relationships.append(relationship)
    return tuple(entities.values()), tuple(relationships)
