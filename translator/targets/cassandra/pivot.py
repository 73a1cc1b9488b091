"""A filter across a path to child rows: "flights that have a ticket with seat 12A".

Cassandra filters on a value stored in the row, and a parent row holds no value of its children. Chebotko's
answer (Chebotko, Kashlev, Lu 2015, the mapping of a one-to-many or many-to-many relationship whose far
side is a search attribute) is a table with one row per (child, parent) pair, keyed by the child's
attribute, the parent's columns copied in: the query returns the distinct parents of the rows it reads.

This module re-roots such a pattern at the child (or, across a many-to-many link, at the junction): the
child becomes the table's entity, the parent an ancestor reached by the child's foreign key, and every
attribute is named along the path from the child. `shapes.shape_of` then applies the usual rules.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from translator.errors import DesignError, UnservablePattern
from translator.ir import Relationship, Schema
from translator.workload.model import AccessPattern, AttributeRef, Hop, OrderTerm

__all__ = ["Pivot", "pivot_of"]


@dataclass(frozen=True, slots=True)
class Pivot:
    """The pattern re-rooted at `rows` (the child or junction entity), whose foreign key `up` leads to the
    entity the pattern returns (`returns`)."""

    pattern: AccessPattern
    rows: str
    up: Relationship
    returns: str
    #: `with` entries served by the pair rows themselves: the children the filter reaches (with their parents).
    pairs: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (with entry, path from the child to what it reads)


def _is_down(schema: Schema, hop: Hop, rels: dict[str, Relationship]) -> bool:
    """A step to rows holding a foreign key to this one: children, a many-to-many link, or a one-to-one
    link read from its parent side."""
    if hop.to_many or hop.via is not None:
        return True
    rel = rels.get(hop.relationships[0]) if hop.relationships else None
    return rel is not None and rel.from_entity != hop.source


def pivot_of(schema: Schema, pattern: AccessPattern) -> Pivot | None:
    """The pattern re-rooted at the child rows its filter reaches, or None when no filter crosses to
    children. Filters through two different child steps, or through two steps to many rows, are refused."""
    rels: dict[str, Relationship] = {}
    for rel in schema.relationships:
        rels.setdefault(rel.name, rel)
    ranges = pattern.range if isinstance(pattern.range, (tuple, list)) else ((pattern.range,) if pattern.range else ())
    terms = [*pattern.equality, *ranges, *(t.attribute for t in pattern.order_by)]
    refs = [r for r in terms if isinstance(r, AttributeRef)]
    down = {r.path[0] for r in refs if r.path and _is_down(schema, r.path[0], rels)}
    if not down:
        return None
    if len(down) > 1:
        raise UnservablePattern(
            f"pattern {pattern.id}: filters cross to child rows along {len(down)} steps "
            f"({', '.join(sorted(map(str, down)))}); a table holds one row per child of one kind: split the pattern"
        )
    (step,) = down
    for term in pattern.order_by:
        if term.attribute.path[:1] == (step,):
            raise UnservablePattern(
                f"pattern {pattern.id}: order_by {term.attribute} is on child rows; the pattern returns distinct "
                f"{pattern.entity} rows, which a child's value does not order: order by an attribute of "
                f"{pattern.entity}, or make the child the pattern's entity"
            )
    first: tuple[Hop, ...] = ()  # the steps from the new root to the filtered entity, before the rest of the path
    if step.via is not None:  # many-to-many: the junction rows are the (parent, far side) pairs
        up, far = rels[step.relationships[0]], rels[step.relationships[1]]
        rows, first = step.via, (Hop(step.via, far.to_entity, (far.name,), False),)
    else:
        up = rels[step.relationships[0]]
        rows = step.target
    if up.from_entity != rows or up.to_entity != pattern.entity:
        raise DesignError(f"pattern {pattern.id}: the step {step} to child rows follows no foreign key to it")
    to_parent = Hop(rows, pattern.entity, (up.name,), False)

    def rebase(ref: AttributeRef) -> AttributeRef:
        if not ref.path and ref.entity != pattern.entity:  # found from the new root like any other ancestor
            return ref
        if ref.path[:1] == (step,):
            rest = (*first, *ref.path[1:])
            if any(_is_down(schema, h, rels) for h in rest):
                raise UnservablePattern(
                    f"pattern {pattern.id}: {ref} is reached through two steps to many rows "
                    f"({' -> '.join(map(str, ref.path))}); Cassandra keys a table by one level of child rows"
                )
            return replace(ref, path=rest)
        return replace(ref, path=(to_parent, *ref.path))

    with_names, with_paths = [], []
    pairs: list[tuple[str, tuple[str, ...]]] = []
    for i, name in enumerate(pattern.with_):
        hops = pattern.paths[i] if i < len(pattern.paths) else ()
        if hops[:1] == (step,) and not any(_is_down(schema, h, rels) for h in hops[1:]):
            # The filtered children themselves (and their parents): the pair rows hold them, so the parent
            # comes with the children that match the filter (SQL's join), copied from the rows read.
            rest = (*first, *hops[1:])
            pairs.append((name, tuple(h.relationships[0] for h in rest)))
            if rest:
                with_names.append(name)
                with_paths.append(rest)
            continue
        if not hops or _is_down(schema, hops[0], rels):
            raise UnservablePattern(
                f"pattern {pattern.id}: with {name} reads child rows of {pattern.entity} other than those the "
                f"filter crosses to ({step}); a table keyed by the child's value holds no list of the parent's "
                f"other children: read {name} with {pattern.entity} in a pattern of its own"
            )
        with_names.append(name)
        with_paths.append((to_parent, *hops))
    rebased = replace(
        pattern,
        entity=rows,
        equality=tuple(rebase(r) for r in pattern.equality),
        range=rebase(pattern.range) if isinstance(pattern.range, AttributeRef) else pattern.range,
        order_by=tuple(OrderTerm(rebase(t.attribute), t.direction) for t in pattern.order_by),
        with_=tuple(with_names),
        paths=tuple(with_paths),
    )
    return Pivot(rebased, rows, up, pattern.entity, tuple(pairs))
