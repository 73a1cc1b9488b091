"""Reads with `with`: an entity and related entities in one Query on their shared item collection.

The pattern's equality must name the collection's partition (the root's identity, or the child's copy of
it). Every `with` entity must live in the same collection, reached along the foreign keys that placed it
there. The Query is `PK = :pk`; when the partition also holds items the pattern did not ask for (other
member types, or siblings of a child read with its parent), a FilterExpression keeps the asked-for ones,
which is flagged: the items are still read (and paid for). A child read with its parent works the same
way: both live in the parent's partition, so it is never a Scan.
"""

from __future__ import annotations

from translator.ir import Entity
from translator.targets.dynamodb.model import PatternPlan, ValueBinding
from translator.targets.dynamodb.needs import Need, with_chains
from translator.targets.dynamodb.plancore import Ctx, Names, bind, flag
from translator.targets.dynamodb.quoting import inert

__all__ = ["with_plan"]


def with_plan(need: Need, entity: Entity, ctx: Ctx) -> PatternPlan:
    pattern, layout = need.pattern, ctx.layout
    table, base = ctx.tables[entity.key], ctx.paths[entity.key][0]
    root = layout.root(entity.key)
    targets: list[str] = []
    missing: list[str] = []
    for target, chain in with_chains(ctx.schema, pattern):
        placed = chain is not None and all(layout.members.get(rel.from_entity) == rel for rel, _ in chain)
        if not placed or ctx.tables.get(target) != table or layout.root(target) != root or target == entity.key:
            missing.append(target)
        else:
            targets.append(target)
    if missing:
        return flag(
            need,
            entity.key,
            table,
            f"{', '.join(missing)} is not in {entity.key}'s item collection, so it needs another request",
            ctx.sink,
            "Query+Query",
        )
    if base.index is not None or not base.partition.parts or not set(base.partition.parts) <= set(need.eq):
        collection = _collection_gsi(need, entity, targets, ctx)
        if collection is not None:
            return collection
        return flag(
            need, entity.key, table, f"the equality {sorted(need.eq)} does not name {entity.key}'s partition", ctx.sink
        )
    if (gap := _child_order_gap(need, entity, targets, ctx)) is not None:
        return flag(need, entity.key, table, gap, ctx.sink)
    ancestors = {r.to_entity for r in layout.chain(entity.key)}
    descendants = {k for k in ctx.paths if entity.key in {r.to_entity for r in layout.chain(k)}}
    extra_eq = [c for c in need.eq if c not in base.partition.parts]
    for target in targets:
        if target in ancestors and target != root:
            return flag(
                need,
                entity.key,
                table,
                f"{target} sits between {entity.key} and the partition's root "
                f"{root}; the Query would return every {target} of the partition",
                ctx.sink,
                "Query+Query",
            )
        if target in descendants and extra_eq and entity.key != root:
            return flag(
                need,
                entity.key,
                table,
                f"{target} items of other {entity.key} items share the partition",
                ctx.sink,
                "Query+Query",
            )
    names = Names(ctx.rules)
    keys = (entity.key, *targets)
    values = [bind(":pk", base.partition, [(c, "eq") for c in base.partition.parts])]
    together = {k for k in ctx.paths if ctx.tables[k] == table and layout.root(k) == root}
    type_attr = names(ctx.rules.naming["entity_type_attribute"])
    clauses: list[str] = []
    if extra_eq and entity.key != root:
        # a child read with its parent: this child's own attributes pick it among its siblings
        mapping_attr = {c: c for c in extra_eq}
        values.append(ValueBinding(":t0", entity.key))
        conditions = []
        for i, column in enumerate(extra_eq):
            values.append(ValueBinding(f":v{i}", "", ((column, "value"),)))
            conditions.append(f"{names(mapping_attr[column])} = :v{i}")
        clauses.append(f"({type_attr} = :t0 AND {' AND '.join(conditions)})")
        rest = keys[1:]
    else:
        rest = keys
    if clauses or set(together) - set(keys):
        offset = len(clauses)
        values += [ValueBinding(f":t{offset + i}", k) for i, k in enumerate(rest)]
        if rest:
            clauses.append(f"{type_attr} IN ({', '.join(f':t{offset + i}' for i in range(len(rest)))})")
    condition = f"{names(base.partition.attribute)} = :pk"
    span = _sort_span(ctx, together, keys)
    if span is not None and not (extra_eq and entity.key != root):
        # The asked-for types' sort keys are one contiguous run of the partition: a key condition, no filter.
        low, high = span
        sep = ctx.rules.naming["separator"]
        values = [values[0], ValueBinding(":lo", low, (), "", True), ValueBinding(":hi", high, (), chr(ord(sep) + 1))]
        condition += f" AND {names(base.sort.attribute)} BETWEEN :lo AND :hi"
        clauses = []
    filter_text, flagged, reason = None, False, ""
    if clauses:
        filter_text = " OR ".join(clauses)
        others = sorted(set(together) - set(keys))
        reason = (
            f"the partition also holds {', '.join(others)}, which a filter drops"
            if others
            else f"the partition also holds other {entity.key} items, which a filter drops"
        )
        flagged = True
        ctx.sink.warning("dynamodb-filter", f"access pattern {inert(pattern.id)}: {inert(reason)}", subject=pattern.id)
    return PatternPlan(
        pattern.id,
        entity.key,
        str(pattern.kind),
        table,
        None,
        "Query",
        condition,
        filter_text,
        tuple(values),
        names.pairs(),
        not need.descending,
        pattern.limit,
        keys,
        flagged,
        reason,
        "item-collection",
        pattern.assumed,
    )


def _child_order_gap(need: Need, entity: Entity, targets: list[str], ctx: Ctx) -> str | None:
    """Why the collection cannot return the children in the pattern's order (None when it can): the read
    must be one parent's collection (the root's), one direction, and each ordered child's sort key must
    begin with the order attribute after the parts its partition fixes (``ISSUES#<issue_number>``)."""
    if not need.child_order:
        return None
    if len({d for *_, d in need.child_order} | {d for _, d in need.order}) > 1:
        return "it orders in two directions at once"
    if ctx.layout.root(entity.key) != entity.key:
        return f"{entity.key} is not its partition's root, so its children's sort keys continue another's"
    for target, column, _ in need.child_order:
        if target not in targets:
            return f"{target} is not in {entity.key}'s item collection"
        path = ctx.paths[target][0]
        free = [p for p in path.sort.parts if p not in path.partition.parts]
        if not free or free[0] != column:
            return f"{target} items sort by {free[0] if free else 'nothing'} in the collection, not by {column}"
    return None


def _sort_span(ctx: Ctx, together: set[str], wanted: tuple[str, ...]) -> tuple[str, str] | None:
    """(lowest, highest) sort-key prefix of the wanted types when they are a contiguous run of the
    partition's prefixes (a nested member shares its parent's prefix, so the two go together); None when
    other types would fall in between (a filter is needed then) or when there is nothing to leave out."""
    prefix = {k: ctx.paths[k][0].sort.prefix for k in together}
    if set(together) <= set(wanted):
        return None
    chosen = {prefix[k] for k in wanted}
    if any(prefix[k] in chosen for k in together if k not in wanted):
        return None
    order = sorted(set(prefix.values()), key=lambda p: p + ctx.rules.naming["separator"])
    at = sorted(order.index(p) for p in chosen)
    if at[-1] - at[0] + 1 != len(at):
        return None
    return order[at[0]], order[at[-1]]


def _collection_gsi(need: Need, entity: Entity, targets: list[str], ctx: Ctx) -> PatternPlan | None:
    """A member read with its own descendants, by its identity: a GSI keyed `TAG#<identity>` on the member
    and on each asked-for descendant (which carries that identity), so the read is one Query on it (the
    inverted index of "The DynamoDB Book"'s orders and order items). None when that does not fit."""
    from translator.targets.dynamodb.keys import carry_chain
    from translator.targets.dynamodb.model import KeyPath, KeyTemplate
    from translator.targets.dynamodb.tenant import lead
    from translator.targets.record import Decision

    layout, pattern = ctx.layout, need.pattern
    ident = layout.identities[entity.key]
    if not set(ident) <= set(need.eq) or entity.key in layout.generated:
        return None
    chains = {t: layout.chain(t) for t in targets}
    if any(entity.key not in {r.to_entity for r in chain} for chain in chains.values()):
        return None  # only descendants can carry the member's identity
    users = [entity.key, *targets]
    n = 1
    while any(ctx.rules.gsi_names(n)[0] in {p.index for p in ctx.paths[k]} for k in users):
        n += 1
    name, pk_attr, sk_attr = ctx.rules.gsi_names(n)
    tag = ctx.tags[entity.key]
    for key in users:
        below = chains.get(key, [])
        upto = [r for r in below[: next((i for i, r in enumerate(below) if r.to_entity == entity.key), -1) + 1]]
        parts = (
            ident
            if key == entity.key
            else tuple(carry_chain(ctx.schema, ctx.schema.entity(key), upto, c, ctx.copies) for c in ident)
        )
        sort = ctx.paths[key][0].sort
        partition = KeyTemplate(pk_attr, tag, parts)
        if entity.key in ctx.tenant and key in ctx.tenant:
            partition = lead(partition, ctx.tenant[key])
        ctx.paths[key].append(
            KeyPath(
                key, name, partition, KeyTemplate(sk_attr, sort.prefix, sort.parts, sort.literals), "gsi-collection"
            )
        )
    ctx.decisions.append(
        Decision(
            entity.key,
            name,
            "gsi-collection",
            f"{pattern.id} reads {entity.key} with {', '.join(targets)} by {entity.key}'s identity, "
            f"but {entity.key} lives in {layout.root(entity.key)}'s partition: {name} keys "
            f"{entity.key} and {', '.join(targets)} by {tag}#<{'#'.join(ident)}>",
            (("rate", pattern.rate),),
            ("workload",) if pattern.assumed else (),
        )
    )
    names = Names(ctx.rules)
    path = ctx.paths[entity.key][-1]
    # Other entities' keys in this overloaded GSI may take the same partition value (a GSI on a child's
    # foreign key to this entity is prefixed with this entity's tag): the member and its descendants all
    # continue the member's sort-key prefix, which no other entity's GSI sort key starts with.
    above = chr(ord(ctx.rules.naming["separator"]) + 1)
    values = [
        bind(":pk", path.partition, [(c, "eq") for c in path.partition.parts]),
        ValueBinding(":lo", path.sort.prefix),
        ValueBinding(":hi", path.sort.prefix, (), above),
    ]
    return PatternPlan(
        pattern.id,
        entity.key,
        str(pattern.kind),
        ctx.tables[entity.key],
        name,
        "Query",
        f"{names(pk_attr)} = :pk AND {names(sk_attr)} BETWEEN :lo AND :hi",
        None,
        tuple(values),
        names.pairs(),
        not need.descending,
        pattern.limit,
        (entity.key, *targets),
        rule="gsi-collection",
        assumed=pattern.assumed,
    )
