"""A filter across child rows: "flights that have a ticket in seat 12A" (`entity: flights`,
`equality: [tickets.seat]`). One flight item cannot hold the seats of all its tickets in a key, but each
ticket item can hold its own seat *and* copies of its flight's attributes: a GSI keyed on the seat over
the ticket items answers with one Query, one item per matching ticket, and the flights are read from the
copies those items carry (each distinct flight once, as SQL's `SELECT DISTINCT flights ... JOIN tickets`).
This is denormalization by duplicating data with a secondary index on the copy-holding entity (The
DynamoDB Book, ch. 9, and AWS's "Best practices for modeling relational data": the GSI on the child).

The pattern is re-read as a pattern on the child (`reroot`): the child's own attributes stay, the
parent's attributes (and its parents') become copies reached up the foreign keys. The plan reads the
child's items (`PatternPlan.items_of`) and returns the parent through `carried`, like a child read with its
parents. A `with` entry towards the parent's parents is carried the same way; a `with` entry to children
(the filtered children themselves included: the pattern returns *all* tickets of each flight, the Query
only the matching ones) needs a second request per parent, and the plan says so (flagged, `Query+Query`).
A path through a many-to-many link is not re-read (its junction would have to carry both sides): it keeps
the flag with that reason.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from translator.ir import Entity, Relationship, Schema
from translator.targets.dynamodb.model import Carried, PatternPlan
from translator.targets.dynamodb.needs import Chain, Need, chain_of, need_of, through, with_chains
from translator.targets.dynamodb.plancore import Ctx, flag
from translator.targets.dynamodb.quoting import inert
from translator.targets.dynamodb.roles import path_role
from translator.targets.record import Decision
from translator.workload.model import AccessPattern, AttributeRef, Hop, OrderTerm

__all__ = ["child_filter_read", "reroot", "child_path"]

Plain = Callable[[Need, Entity, Ctx], PatternPlan]


def _hop(rel: Relationship, up: bool) -> Hop:
    if up:
        return Hop(rel.from_entity, rel.to_entity, (rel.name,), to_many=False)
    return Hop(rel.to_entity, rel.from_entity, (rel.name,), to_many=True)


def _down_prefix(chain: Chain) -> Chain:
    out = []
    for rel, up in chain:
        if up:
            break
        out.append((rel, up))
    return tuple(out)


def child_path(schema: Schema, need: Need) -> tuple[Chain | None, str]:
    """The one chain of foreign keys down to the children the pattern filters on, or (None, why not)."""
    pattern = need.pattern
    unresolved = set(need.unresolved)
    downs: dict[tuple[str, ...], Chain] = {}
    for ref in _refs(pattern):
        if str(ref) not in unresolved:
            continue
        if any(h.via for h in ref.path):
            via = next(h.via for h in ref.path if h.via)
            return None, (
                f"{ref} is reached through the many-to-many link {via}, whose junction items would have to carry "
                "both sides; no key of one item can hold it"
            )
        chain = chain_of(schema, pattern.entity, ref.entity, ref.path)
        down = _down_prefix(chain) if chain else ()
        if not chain or not down or any(not up for _, up in chain[len(down) :]):
            return None, f"{ref} is reached down, up and down again, so no item holds it with the pattern's entity"
        downs[tuple(r.name for r, _ in down)] = down
    if len(downs) != 1:
        return None, (
            f"{', '.join(need.unresolved)} are on {len(downs)} different paths to children, and one item holds "
            "the values of one child only"
        )
    return next(iter(downs.values())), ""


def _refs(pattern: AccessPattern) -> list[AttributeRef]:
    return [*pattern.equality, *([pattern.range] if pattern.range else []), *(t.attribute for t in pattern.order_by)]


def reroot(schema: Schema, pattern: AccessPattern, down: Chain) -> AccessPattern:
    """`pattern` as a read of the children at the end of `down`: each attribute reached from the child."""
    child = down[-1][0].from_entity
    up = tuple(_hop(rel, True) for rel, _ in reversed(down))

    def moved(ref: AttributeRef) -> AttributeRef:
        chain = chain_of(schema, pattern.entity, ref.entity, ref.path) or ()
        if chain[: len(down)] == down:
            return AttributeRef(ref.entity, ref.attribute, tuple(_hop(r, u) for r, u in chain[len(down) :]))
        return AttributeRef(ref.entity, ref.attribute, (*up, *(_hop(r, u) for r, u in chain)))

    return dataclasses.replace(
        pattern,
        entity=child,
        with_=(),
        paths=(),
        equality=tuple(moved(r) for r in pattern.equality),
        range=moved(pattern.range) if pattern.range else None,
        order_by=tuple(OrderTerm(moved(t.attribute), t.direction) for t in pattern.order_by),
    )


def _carried(ctx: Ctx, child: Entity, rels: list[Relationship], target: str, named: bool = True) -> Carried:
    """`target` as the child's copies carry it; `named`: with its role (the pattern's own entity has none)."""
    parent = ctx.schema.entity(target)
    columns = tuple((a.name, through(child, rels, a.name, ctx.copies)) for a in parent.attributes)
    witness = tuple(
        dict.fromkeys(
            through(child, rels[:i], c, ctx.copies) for i, rel in enumerate(rels) for c in rel.from_attributes
        )
    )
    for part in (*witness, *(p for _, p in columns)):
        ctx.copies.keep(child.key, part)
    role = path_role(ctx.schema, rels, ctx.tenant) if named else ""
    return Carried(target, tuple(r.name for r in rels), witness, columns, role)


def child_filter_read(need: Need, entity: Entity, ctx: Ctx, plain: Plain) -> PatternPlan:
    """The plan of a read filtered on its children's attributes (see the module docstring); the flag with
    the precise reason when it cannot be one Query."""
    pattern, schema = need.pattern, ctx.schema
    table = ctx.tables[entity.key]
    down, why = child_path(schema, need)
    if down is None:
        return flag(need, entity.key, table, why, ctx.sink, "Query+Query")
    child = schema.entity(down[-1][0].from_entity)
    rerooted = reroot(schema, pattern, down)
    child_need = need_of(schema, child, rerooted, ctx.copies)
    if child_need.unresolved:  # never: the path below the children goes up only (child_path)
        return flag(need, entity.key, table, f"{', '.join(child_need.unresolved)} is not on {child.key}", ctx.sink)
    column = ctx.tenant.get(child.key)
    if column is not None and column not in child_need.eq:
        return flag(
            need,
            entity.key,
            table,
            f"crosses tenants: it does not fix the tenant ({child.key}.{column}) of the {child.key} items it filters",
            ctx.sink,
        )
    base = plain(child_need, child, ctx)
    if base.flagged and base.key_condition is None:
        return dataclasses.replace(base, id=pattern.id, entity=entity.key)
    up = [rel for rel, _ in reversed(down)]
    carried = [_carried(ctx, child, up, entity.key, named=False)]
    second: list[str] = []
    for (target, chain), spec in zip(with_chains(schema, pattern), pattern.with_specs(), strict=False):
        if chain is not None and all(u for _, u in chain):
            carried.append(_carried(ctx, child, [*up, *(r for r, _ in chain)], target))
        else:
            second.append(spec)
    parents = f"the distinct {entity.key} items come from the copies each {child.key} item carries"
    reason = f"{base.index or 'the table'} returns one {child.key} item per match; {parents}"
    if pattern.limit:
        reason += f" (Limit counts {child.key} items: read pages until {pattern.limit} distinct {entity.key})"
    operation, flagged = base.operation, False
    if second:
        operation, flagged = f"{base.operation}+Query", True
        home = ctx.paths[entity.key][0]
        where = (
            f"on its item collection ({home.partition.attribute} = {home.partition.text()})"
            if all(ctx.layout.root(t) == ctx.layout.root(entity.key) for t, _ in with_chains(schema, pattern))
            else "by its identity"
        )
        reason = (
            f"needs a second request: {base.index or 'the table'} returns only the {child.key} items that match, "
            f"and {', '.join(second)} of each {entity.key} item must be read by one more Query per {entity.key} item "
            f"{where}; {parents}"
        )
        ctx.sink.error(
            "dynamodb-unserved-pattern",
            f"access pattern {inert(pattern.id)} ({inert(pattern.description or entity.key)}) cannot be one "
            f"GetItem/Query ({operation}): {inert(reason)}",
            subject=pattern.id,
        )
    ctx.decisions.append(
        Decision(
            entity.key,
            f"{base.index or 'table'} over {child.key}",
            "gsi-child-filter",
            f"{pattern.id} filters {entity.key} on {', '.join(need.unresolved)} (many values per {entity.key}): "
            f"{child.key} items are keyed on it and carry copies of {', '.join(c.label for c in carried)}; {reason}",
            (("rate", pattern.rate),),
            ("workload",) if pattern.assumed else (),
        )
    )
    return dataclasses.replace(
        base,
        id=pattern.id,
        entity=entity.key,
        kind=str(pattern.kind),
        operation=operation,
        returns=(entity.key, *(c.entity for c in carried[1:])),
        carried=tuple(carried),
        flagged=flagged or base.flagged,
        reason="; ".join(x for x in (base.reason, reason) if x),
        rule="gsi-child-filter",
        items_of=child.key,
        limit=pattern.limit,
    )
