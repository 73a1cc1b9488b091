"""Reads with `with` that no table item collection serves, by the two other rules of the literature.

- A child read with its parents (every `with` path goes child -> parent) carries copies of the parents'
  attributes: the read is the child's own GetItem/Query and the parents come from its items (The DynamoDB
  Book, ch. 9, "denormalization by duplicating data"; AWS, "Best practices for modeling relational data").
- A parent read with its children by an equality on the parent's own attributes shares an item collection
  with them in a GSI: its partition is those attributes (each child carries them through its foreign key,
  as copies where the key does not hold them), its sort key nests each child under its parent's identity
  (The DynamoDB Book, ch. 9, "secondary index item collections").

The table's collections stay the first choice (`collection_reads.with_plan`); these serve what they cannot:
a child whose foreign key is nullable (it may have no parent partition), a chain of parents whose middle
already anchors another collection, an equality that is not the collection's partition. A child whose
foreign key is NULL has no parent: SQL's join leaves it out, and so do these (its copies are NULL, so it
carries no parent and is absent from the sparse GSI).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from translator.diagnostics import DiagnosticSink
from translator.ir import Entity
from translator.targets.dynamodb.collection_reads import with_plan
from translator.targets.dynamodb.keys import gsi_shape
from translator.targets.dynamodb.model import Carried, KeyPath, KeyTemplate, PatternPlan, ValueBinding
from translator.targets.dynamodb.needs import Need, through, with_chains
from translator.targets.dynamodb.plancore import Ctx, Names, add_gsi_path, bind, match_path
from translator.targets.dynamodb.roles import path_role
from translator.targets.dynamodb.tenant import lead
from translator.targets.record import Decision
from translator.workload.model import AccessPattern, PatternKind

__all__ = ["with_read", "maintenance_paths"]

Plain = Callable[[Need, Entity, Ctx], PatternPlan]


def _served(plan: PatternPlan | None) -> bool:
    return plan is not None and not (plan.flagged and plan.key_condition is None)


def with_read(need: Need, entity: Entity, ctx: Ctx, plain: Plain) -> PatternPlan:
    """The table's item collection, else copies of the parents, else a GSI collection of parent and
    children; when none serves, the first attempt's plan and diagnostics (it says why)."""
    attempts: list[Callable[[], PatternPlan | None]] = [
        lambda: with_plan(need, entity, ctx),
        lambda: _parents_by_copies(need, entity, ctx, plain),
        lambda: _children_gsi(need, entity, ctx),
    ]
    first: tuple[PatternPlan | None, DiagnosticSink] | None = None
    real = ctx.sink
    for attempt in attempts:
        trial = DiagnosticSink()
        ctx.sink = trial
        try:
            plan = attempt()
        finally:
            ctx.sink = real
        if _served(plan):
            real.extend(trial.items)
            assert plan is not None
            return plan
        first = first or (plan, trial)
    assert first is not None and first[0] is not None
    real.extend(first[1].items)
    return first[0]


def _parents_by_copies(need: Need, entity: Entity, ctx: Ctx, plain: Plain) -> PatternPlan | None:
    chains = with_chains(ctx.schema, need.pattern)
    if not chains or any(not chain or not all(up for _, up in chain) for _, chain in chains):
        return None
    carried: list[Carried] = []
    for target, chain in chains:
        assert chain is not None
        rels = [r for r, _ in chain]
        parent = ctx.schema.entity(target)
        columns = tuple((a.name, through(entity, rels, a.name, ctx.copies)) for a in parent.attributes)
        witness = tuple(
            dict.fromkeys(
                through(entity, rels[:i], c, ctx.copies) for i, rel in enumerate(rels) for c in rel.from_attributes
            )
        )
        role = path_role(ctx.schema, rels, ctx.tenant)
        carried.append(Carried(target, tuple(r.name for r in rels), witness, columns, role))
    base = plain(need, entity, ctx)
    if not _served(base):
        return None
    for item in carried:
        for part in (*item.witness, *(p for _, p in item.columns)):
            ctx.copies.keep(entity.key, part)
    names = ", ".join(c.label for c in carried)
    ctx.decisions.append(
        Decision(
            entity.key,
            f"copies of {names}",
            "copies-of-parents",
            f"{need.pattern.id} reads {entity.key} with its parent(s) {names}: every {entity.key} item carries "
            "copies of their attributes, so the read is one request on its own key",
            (("rate", need.pattern.rate),),
            ("workload",) if need.pattern.assumed else (),
        )
    )
    return dataclasses.replace(base, returns=(entity.key, *(c.entity for c in carried)), carried=tuple(carried))


def _children_gsi(need: Need, entity: Entity, ctx: Ctx) -> PatternPlan | None:
    schema, layout, pattern = ctx.schema, ctx.layout, need.pattern
    chains = with_chains(schema, pattern)
    if (
        not chains
        or any(chain is None or len(chain) != 1 or chain[0][1] for _, chain in chains)
        or need.range is not None
        or need.order
        or len({d for *_, d in need.child_order}) > 1
        or entity.key in layout.generated
        or not need.eq
        or not all(entity.find_attribute(c) is not None for c in need.eq)
    ):
        return None
    ident = layout.identities[entity.key]
    rest = [c for c in ident if c not in need.eq]
    if need.child_order and rest:
        return None  # the children of several parents would interleave: no one order of the collection
    ordered = {target: column for target, column, _ in need.child_order}
    tenant = ctx.tenant.get(entity.key)
    keys: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[tuple[int, str], ...]]] = {
        entity.key: (tuple(need.eq), tuple(rest), ())
    }
    for target, chain in chains:
        assert chain is not None
        rel = chain[0][0]
        child = schema.entity(target)
        if target in keys or target in layout.generated or ctx.tables.get(target) != ctx.tables[entity.key]:
            return None
        partition = tuple(through(child, [rel], c, ctx.copies) for c in need.eq)
        if tenant is not None and through(child, [rel], tenant, ctx.copies) != ctx.tenant.get(target):
            return None  # the child's tenant column must be the one its parent's tenant reaches
        own = [c for c in layout.identities[target] if c not in partition]
        if target in ordered:  # the children sort by the pattern's order attribute, then their identity
            column = ordered.pop(target)
            own = [column, *(c for c in own if c != column)]
        sort = (*(through(child, [rel], c, ctx.copies) for c in rest), *own)
        keys[target] = (partition, sort, ((len(rest), ctx.tags[target]),))
    if ordered:
        return None  # an order on a `with` entity this collection does not hold
    n = 1
    while any(ctx.rules.gsi_names(n)[0] in {p.index for p in ctx.paths[k]} for k in keys):
        n += 1
    name, pk_attr, sk_attr = ctx.rules.gsi_names(n)
    tag = ctx.tags[entity.key]
    for key, (partition, sort, literals) in keys.items():
        template = KeyTemplate(pk_attr, tag, partition)
        if tenant is not None:
            template = lead(template, ctx.tenant[key])
        ctx.paths[key].append(
            KeyPath(key, name, template, KeyTemplate(sk_attr, tag, sort, literals), "gsi-collection-children")
        )
    children = ", ".join(k for k in keys if k != entity.key)
    ctx.decisions.append(
        Decision(
            entity.key,
            name,
            "gsi-collection-children",
            f"{pattern.id} reads {entity.key} with {children} by {', '.join(need.eq)}: {name} keys them all by "
            f"{entity.key}'s {', '.join(need.eq)} (the children carry it through their foreign key) and nests "
            f"each child under its parent's identity, one item collection of the GSI",
            (("rate", pattern.rate),),
            ("workload",) if pattern.assumed else (),
        )
    )
    path = ctx.paths[entity.key][-1]
    names = Names(ctx.rules)
    # The GSI is overloaded: other entities' keys there may take the same partition value (an inverted
    # adjacency list keyed by the parent, a GSI on the foreign key), so the sort key keeps the collection's
    # items only: every one of them starts with the parent's tag, and no other entity's sort key does.
    above = chr(ord(ctx.rules.naming["separator"]) + 1)
    values = (
        bind(":pk", path.partition, [(c, "eq") for c in path.partition.parts]),
        ValueBinding(":lo", tag),
        ValueBinding(":hi", tag, (), above),
    )
    return PatternPlan(
        pattern.id,
        entity.key,
        str(pattern.kind),
        ctx.tables[entity.key],
        name,
        "Query",
        f"{names(pk_attr)} = :pk AND {names(sk_attr)} BETWEEN :lo AND :hi",
        None,
        values,
        names.pairs(),
        not need.descending,
        pattern.limit,
        tuple(keys),
        rule="gsi-collection-children",
        assumed=pattern.assumed,
    )


def maintenance_paths(plans: list[PatternPlan], patterns: tuple[AccessPattern, ...], ctx: Ctx) -> None:
    """A parent the workload updates or deletes must find the children carrying its copies: each such child
    gets a key path by the parent's identity (its item collection already is one; else a GSI)."""
    schema = ctx.schema
    changed = {
        e.key
        for p in patterns
        if p.kind in (PatternKind.UPDATE, PatternKind.DELETE) and (e := schema.find_entity(p.entity)) is not None
    }
    by_id = {p.id: p for p in patterns}
    for plan in plans:
        for carried in plan.carried:
            columns = dict(carried.columns)
            ident = ctx.layout.identities.get(carried.entity, ())
            if carried.entity not in changed or not ident or not all(c in columns for c in ident):
                continue
            child = schema.entity(plan.items_of or plan.entity)  # a filter across children reads theirs
            probe = Need(by_id[plan.id], tuple(dict.fromkeys(columns[c] for c in ident)), None, ())
            if any(match_path(probe, path) for path in ctx.paths[child.key]):
                continue
            shape = gsi_shape(schema, child, probe, ctx.layout.identities[child.key], ctx.tags, ctx.copies)
            if shape is None:
                continue
            prefix, partition, sort = shape
            path = add_gsi_path(
                ctx.paths[child.key],
                child,
                prefix,
                partition,
                ctx.tags[child.key],
                sort,
                ctx.rules,
                "gsi-copy-maintenance",
                1,
                ctx.tenant.get(child.key),
            )
            ctx.decisions.append(
                Decision(
                    child.key,
                    path.index or "",
                    "gsi-copy-maintenance",
                    f"{child.key} items carry copies of {carried.entity} for {plan.id}, and the workload changes "
                    f"{carried.entity}: {path.index} ({path.partition.text()} / {path.sort.text()}) finds the "
                    "items to rewrite",
                    (("rate", plan.rate),),
                )
            )
