"""What every engine reader shares: type mapping with diagnostics, entity and relationship assembly.

Namespace rule (so the live IR equals the IR of the DDL that created the database): a table in the
namespace where unqualified DDL creates tables (PostgreSQL: the first schema of the search path; MySQL:
the URL's database; SQLite: `main`) gets namespace None; a table in any other chosen namespace keeps it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from translator.diagnostics import DiagnosticSink
from translator.errors import SourceError
from translator.ir import (
    Attribute,
    CheckConstraint,
    Entity,
    Index,
    ReferentialAction,
    Relationship,
    derive_cardinality,
)
from translator.typemap import TypeMapper
from translator.types import CanonicalType, TypeKind
from translator.workload.validate import suggest

__all__ = ["TableFacts", "ForeignKeyFacts", "map_type", "entity_namespace", "check_namespaces", "assemble_relationships",
           "action", "plain_value", "quote_identifier", "spell_default"]

_ACTIONS = {a.value: a for a in ReferentialAction}


@dataclass
class TableFacts:
    """A table while its catalog rows are being read (mutable on purpose: filled query by query)."""

    namespace: str | None
    name: str
    comment: str | None = None
    attributes: list[Attribute] = field(default_factory=list)
    primary_key: tuple[str, ...] = ()
    unique_keys: list[tuple[str, ...]] = field(default_factory=list)
    indexes: list[Index] = field(default_factory=list)
    checks: list[CheckConstraint] = field(default_factory=list)
    partition_by: str | None = None

    @property
    def key(self) -> str:
        return f"{self.namespace}.{self.name}" if self.namespace else self.name

    def entity(self) -> Entity:
        pk = set(self.primary_key)
        # A primary-key column is NOT NULL whatever the catalog says (SQLite keeps the legacy flag off).
        attributes = tuple(replace(a, nullable=a.nullable and a.name not in pk) for a in self.attributes)
        return Entity(
            name=self.name, attributes=attributes, namespace=self.namespace, primary_key=self.primary_key,
            unique_keys=tuple(dict.fromkeys(self.unique_keys)), indexes=tuple(self.indexes),
            checks=tuple(self.checks), comment=self.comment or None, partition_by=self.partition_by,
        )


@dataclass(frozen=True)
class ForeignKeyFacts:
    name: str
    child: str
    columns: tuple[str, ...]
    parent: str | None
    parent_columns: tuple[str, ...]
    on_delete: str | None = None
    on_update: str | None = None


def quote_identifier(*parts: str) -> str:
    """Standard SQL quoting, as PostgreSQL and SQLite read it: each part in double quotes (`"` doubled), joined by dots."""
    return ".".join('"' + part.replace('"', '""') + '"' for part in parts)


def entity_namespace(namespace: str, default: str | None) -> str | None:
    """None for the namespace unqualified DDL writes to (see the module docstring), else `namespace`."""
    return None if namespace == default else namespace


def check_namespaces(wanted: Sequence[str], existing: Sequence[str], absent: str) -> list[str]:
    """`wanted` as a list once each name is in `existing`; else a SourceError saying it is `absent` and the closest name."""
    for name in wanted:
        if name not in existing:
            raise SourceError(f"--schema {name!r}: {absent}{suggest(name, existing)}")
    return list(wanted)


def map_type(mapper: TypeMapper, text: str, dialect: str, sink: DiagnosticSink, subject: str) -> tuple[CanonicalType, bool]:
    """(canonical type, identity implied by the type) for catalog type text; unknown types become a warning."""
    mapped = mapper.map_full(text, dialect)
    if mapped.warning:
        sink.warning("unknown-type", mapped.warning, subject=subject)
    return mapped.type, mapped.identity


def spell_default(text: str, canonical: CanonicalType, dialect: str) -> str:
    """A catalog's default spelled as the DDL reader spells the same default: rendered by sqlglot in `dialect`
    (`current_timestamp()` -> `CURRENT_TIMESTAMP()`), a boolean's 1/0 as TRUE/FALSE; unparsable text as it is."""
    from sqlglot import exp, parse_one
    from sqlglot.errors import ParseError, TokenError

    try:
        node = parse_one(text, read=dialect)
    except (ParseError, TokenError, ValueError):
        return text
    if canonical.kind is TypeKind.BOOLEAN and isinstance(node, exp.Literal) and node.name in ("0", "1"):
        return "TRUE" if node.name == "1" else "FALSE"
    return node.sql(dialect=dialect) if isinstance(node, exp.Expr) else text


def action(rule: str | None) -> ReferentialAction | None:
    """A catalog's referential rule; NO ACTION is the default and reads as None, as in DDL that names none."""
    if rule is None:
        return None
    found = _ACTIONS.get(rule.strip().lower().replace("_", " "))
    return None if found in (None, ReferentialAction.NO_ACTION) else found


def assemble_relationships(entities: dict[str, Entity], fks: Iterable[ForeignKeyFacts], sink: DiagnosticSink) -> tuple[Relationship, ...]:
    """Relationships for foreign keys whose both ends were read; the others become warnings, not silence."""
    out = []
    for fk in fks:
        child = entities.get(fk.child)
        parent = entities.get(fk.parent) if fk.parent else None
        if child is None or parent is None:
            sink.warning("relationship-outside-schema",
                         f"foreign key {fk.name} of {fk.child} references {fk.parent or 'an unknown table'}, which is "
                         "not in the namespaces read; add its namespace with --schema to keep the relationship",
                         subject=fk.child, lost=f"relationship {fk.name}")
            continue
        columns = tuple(child.attribute(c).name for c in fk.columns)
        out.append(Relationship(
            name=fk.name, from_entity=child.key, from_attributes=columns, to_entity=parent.key,
            to_attributes=tuple(parent.attribute(c).name for c in fk.parent_columns),
            cardinality=derive_cardinality(child, columns),
            optional=any(child.attribute(c).nullable for c in columns),
            on_delete=action(fk.on_delete), on_update=action(fk.on_update),
        ))
    return tuple(out)


def plain_value(value: Any) -> Any:
    """A catalog or sampled value as YAML/JSON-safe data (statistics keep most common values)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    return str(value)
