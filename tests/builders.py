"""Shorthands for building IR records and access patterns in tests, shared by every target's tests."""

from __future__ import annotations

from translator.ir import Attribute, Cardinality, Relationship
from translator.types import CanonicalType
from translator.workload.model import AccessPattern, AttributeRef, Direction, OrderTerm, PatternKind

T = CanonicalType.of


def attr(name: str, kind: str, nullable: bool = False, **params) -> Attribute:
    return Attribute(name, T(kind, **params), nullable=nullable)


def fk(
    name: str, child: str, cols: tuple[str, ...], parent: str, to: tuple[str, ...], optional: bool = False
) -> Relationship:
    return Relationship(name, child, cols, parent, to, Cardinality.MANY_TO_ONE, optional)


def ref(entity: str, name: str) -> AttributeRef:
    return AttributeRef(entity, name)


def read(pid: str, entity: str, equality=(), range_=None, order=(), with_=(), limit=None, rate=1.0) -> AccessPattern:
    return AccessPattern(
        id=pid,
        entity=entity,
        equality=tuple(ref(entity, a) for a in equality),
        range=ref(entity, range_) if range_ else None,
        order_by=tuple(OrderTerm(ref(entity, a), Direction(d)) for a, d in order),
        with_=tuple(with_),
        limit=limit,
        rate=rate,
    )


def write(pid: str, entity: str, kind: str = "write", equality=(), rate=1.0) -> AccessPattern:
    return AccessPattern(
        id=pid, entity=entity, kind=PatternKind(kind), equality=tuple(ref(entity, a) for a in equality), rate=rate
    )
