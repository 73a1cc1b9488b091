"""Every access pattern -> GetItem / Query (or a write operation) on the table or a GSI, with its key
condition, placeholders bound to the pattern's attributes, and ExpressionAttributeNames for names that
cannot appear bare. A pattern no key can serve is flagged with the reason, never dropped.

A path (table key or GSI key) serves a read when its partition parts are all equality parts, the other
equality parts are the leading sort parts, and the range / order part is the next sort part. New GSIs are
added for patterns no path serves, overloaded: an entity takes the lowest-numbered GSI it does not use yet,
so different entities share `GSI1PK`/`GSI1SK`. Equality on a parent's attribute is served through a copy
of that attribute (see needs.py); a pattern with no equality gets a sparse GSI whose partition is the
constant `<TAG>` (write-sharded into N suffixes when its writes pass one partition's limit).
"""

from __future__ import annotations

from translator.ir import Entity
from translator.targets.dynamodb.child_filter import child_filter_read
from translator.targets.dynamodb.keys import gsi_shape
from translator.targets.dynamodb.model import PatternPlan, ValueBinding
from translator.targets.dynamodb.needs import Need
from translator.targets.dynamodb.plancore import Ctx, Match, Names, add_gsi_path, bind, flag, match_path
from translator.targets.dynamodb.quoting import inert
from translator.targets.dynamodb.related_reads import with_read
from translator.targets.record import Decision
from translator.workload.model import PatternKind

__all__ = ["plan_patterns"]

_WRITE_OPS = {PatternKind.WRITE: "PutItem", PatternKind.UPDATE: "UpdateItem", PatternKind.DELETE: "DeleteItem"}


def _read_plan(need: Need, entity: Entity, table: str, match: Match, ctx: Ctx, rule: str) -> PatternPlan:
    pattern, path, names = need.pattern, match.path, Names(ctx.rules)
    pk, sk = names(path.partition.attribute), names(path.sort.attribute)
    values = [bind(":pk", path.partition, [(c, "eq") for c in path.partition.parts])]
    fixed = [(c, "eq") for c in path.sort.parts[: match.k]]
    if match.full:
        values.append(bind(":sk", path.sort, fixed))
        condition = f"{pk} = :pk AND {sk} = :sk"
    elif need.range is not None:
        above = chr(ord(ctx.rules.naming["separator"]) + 1)  # sorts after every "<value>#..." continuation
        values += [
            bind(":lo", path.sort, fixed + [(need.range, "low")]),
            bind(":hi", path.sort, fixed + [(need.range, "high")], suffix=above),
        ]
        condition = f"{pk} = :pk AND {sk} BETWEEN :lo AND :hi"
    else:
        values.append(bind(":sk", path.sort, fixed, trailing=True))
        condition = f"{pk} = :pk AND begins_with({sk}, :sk)"
    filter_text, flagged, reason = None, False, ""
    if path.index is None and not match.full and entity.key in ctx.layout.owners():
        # The entity's members continue its sort key, so the prefix selects them too: keep its own type.
        values.append(ValueBinding(":t0", entity.key))
        filter_text = f"{names(ctx.rules.naming['entity_type_attribute'])} = :t0"
        flagged, reason = True, f"{entity.key}'s members share its sort-key prefix, which a filter drops"
        ctx.sink.warning("dynamodb-filter", f"access pattern {inert(pattern.id)}: {reason}", subject=pattern.id)
    operation = "GetItem" if match.full and path.index is None else "Query"
    shards = path.partition.shards
    return PatternPlan(
        pattern.id,
        entity.key,
        str(pattern.kind),
        table,
        path.index,
        operation,
        condition,
        filter_text,
        tuple(values),
        names.pairs(),
        not need.descending,
        pattern.limit,
        (entity.key,),
        flagged,
        reason,
        rule=rule,
        assumed=pattern.assumed,
        shards=shards,
    )


def _write_plan(need: Need, entity: Entity, table: str, ctx: Ctx) -> PatternPlan:
    pattern, paths = need.pattern, ctx.paths[entity.key]
    operation = _WRITE_OPS[pattern.kind]
    if pattern.kind is PatternKind.WRITE:
        return PatternPlan(
            pattern.id,
            entity.key,
            str(pattern.kind),
            table,
            None,
            operation,
            None,
            None,
            (),
            returns=(entity.key,),
            rule="put-item",
            assumed=pattern.assumed,
        )
    match = match_path(need, paths[0])
    if match is not None and match.full:
        plan = _read_plan(need, entity, table, match, ctx, "key")
        return PatternPlan(**{**{f: getattr(plan, f) for f in PatternPlan.__slots__}, "operation": operation})
    for path in paths:
        match = match_path(need, path)
        if match is not None:
            plan = _read_plan(need, entity, table, match, ctx, "query-then-write")
            return PatternPlan(
                **{
                    **{f: getattr(plan, f) for f in PatternPlan.__slots__},
                    "operation": f"Query+{operation}",
                    "filter": None,
                    "flagged": False,
                    "reason": "the equality does not give the item's full key: read the keys, then write each",
                }
            )
    if need.eq:  # no key names the items: a GSI on the equality finds them (DeBrie's "delete a user's sessions")
        plan = _gsi_read(need, entity, table, ctx)
        if plan.operation == "Query":
            return PatternPlan(
                **{
                    **{f: getattr(plan, f) for f in PatternPlan.__slots__},
                    "operation": f"Query+{operation}",
                    "filter": None,
                    "flagged": False,
                    "reason": f"{plan.index} finds the items' keys, then each is written",
                }
            )
        return plan
    return flag(need, entity.key, table, "no key covers the equality, so the items must be found by a Scan", ctx.sink)


def _gsi_read(need: Need, entity: Entity, table: str, ctx: Ctx) -> PatternPlan:
    pattern = need.pattern
    ident = ctx.layout.identities[entity.key]
    shape = gsi_shape(ctx.schema, entity, need, ident, ctx.tags, ctx.copies)
    if shape is None:
        return flag(
            need,
            entity.key,
            table,
            "its order cannot be a single sort key (mixed directions, or a range "
            "on another attribute than the first order term)",
            ctx.sink,
        )
    prefix, partition, sort = shape
    max_gsis = ctx.rules.limits["gsis_per_table"]
    if sum(1 for p in ctx.paths[entity.key] if p.index) >= max_gsis:
        return flag(need, entity.key, table, f"the table already has {max_gsis} GSIs (the limit)", ctx.sink)
    shards = ctx.shards.get(entity.key, 1) if not partition else 1
    rule = "gsi-sparse-constant" if not partition else "gsi"
    tenant_column = ctx.tenant.get(entity.key)
    path = add_gsi_path(
        ctx.paths[entity.key],
        entity,
        prefix,
        partition,
        ctx.tags[entity.key],
        sort,
        ctx.rules,
        rule,
        1 if tenant_column else shards,
        tenant_column,
    )
    nullable = [
        c
        for c in (*partition, *([need.range] if need.range else []))
        if (a := entity.find_attribute(c)) and a.nullable and c not in entity.primary_key
    ]
    copied = [c for c in partition if any(s.part == c for s in ctx.copies.of(entity.key))]
    why = (
        f"{pattern.id} needs {path.partition.text()} / {path.sort.text()}: {path.index} (shared with other "
        "entities' keys)"
    )
    if not partition:
        why = (
            f"{pattern.id} has no equality attribute: {path.index} holds {entity.key}'s items under the "
            f"constant partition {path.partition.text()}, so it is one Query"
            + (f" per write shard ({shards} Queries, merged by the sort key)" if shards > 1 else "")
        )
    if copied:
        why += f"; {', '.join(copied)} is copied into every {entity.key} item to key it"
    if nullable:
        why += f"; sparse: items with NULL {', '.join(nullable)} are left out"
    ctx.decisions.append(
        Decision(
            entity.key,
            path.index or "",
            rule,
            why,
            (("rate", pattern.rate), ("shards", shards)),
            ("workload",) if pattern.assumed else (),
        )
    )
    match = match_path(need, path)
    assert match is not None, (pattern, path)
    return _read_plan(need, entity, table, match, ctx, rule)


def _across_tenants(need: Need, entity: Entity, table: str, ctx: Ctx) -> PatternPlan:
    """Keys lead with the tenant: a pattern without it reads across tenants. An admin pattern may (a Scan
    for an administrative role the tenant policy does not confine); any other one is an error."""
    pattern, column = need.pattern, ctx.tenant[entity.key]
    reason = f"it does not fix the tenant ({entity.key}.{column}), and every key leads with it"
    if not pattern.admin and not pattern.assumed:
        return flag(
            need,
            entity.key,
            table,
            f"crosses tenants: {reason}; add {column} to its equality, or mark it admin",
            ctx.sink,
        )
    if not pattern.admin:  # a derived (assumed) pattern: reported and flagged, but it does not fail the run
        ctx.sink.warning(
            "dynamodb-crosses-tenants",
            f"derived pattern {inert(pattern.id)} crosses tenants: {reason}",
            subject=pattern.id,
        )
        return PatternPlan(
            pattern.id,
            entity.key,
            str(pattern.kind),
            table,
            None,
            "Scan",
            None,
            None,
            (),
            (),
            not need.descending,
            pattern.limit,
            (entity.key, *pattern.with_),
            True,
            f"crosses tenants: {reason}",
            "flagged",
            pattern.assumed,
        )
    ctx.sink.warning(
        "dynamodb-admin-scan",
        f"admin pattern {inert(pattern.id)} reads across tenants: a Scan by an "
        "administrative role (the tenant policy's dynamodb:LeadingKeys does not allow Scan)",
        subject=pattern.id,
    )
    return PatternPlan(
        pattern.id,
        entity.key,
        str(pattern.kind),
        table,
        None,
        "Scan",
        None,
        None,
        (),
        (),
        not need.descending,
        pattern.limit,
        (entity.key, *pattern.with_),
        False,
        f"admin pattern across tenants: {reason}",
        "admin-scan",
        pattern.assumed,
    )


def plan_patterns(needs: list[Need], ctx: Ctx) -> list[PatternPlan]:
    """Plan reads first, highest rate first (they shape the GSIs), then writes; output in workload order."""
    plans: dict[int, PatternPlan] = {}
    order = sorted(range(len(needs)), key=lambda i: (not needs[i].pattern.is_read, -needs[i].pattern.rate))
    for i in order:  # a stable sort: ties keep their position in the workload file, never the id's spelling
        need = needs[i]
        pattern = need.pattern
        entity = ctx.schema.find_entity(pattern.entity)
        if entity is None or entity.key not in ctx.paths:
            plans[i] = flag(need, pattern.entity, None, f"entity {pattern.entity!r} is not in the design", ctx.sink)
            continue
        table = ctx.tables[entity.key]
        if (twice := _one_value_twice(need, entity, table, ctx)) is not None:
            plans[i] = twice
            continue
        if need.unresolved:
            if pattern.is_read:
                plans[i] = child_filter_read(need, entity, ctx, _plain_read)
            else:
                plans[i] = flag(
                    need,
                    entity.key,
                    table,
                    f"{', '.join(need.unresolved)} is reached through children "
                    "(many values per item), so no key of one item can hold it",
                    ctx.sink,
                    "Query+Query",
                )
            continue
        column = ctx.tenant.get(entity.key)
        if column is not None and column not in need.eq and pattern.kind is not PatternKind.WRITE:
            plans[i] = _across_tenants(need, entity, table, ctx)
            continue
        if not pattern.is_read:
            plans[i] = _write_plan(need, entity, table, ctx)
            continue
        plans[i] = with_read(need, entity, ctx, _plain_read) if pattern.with_ else _plain_read(need, entity, ctx)
    return [plans[i] for i in range(len(needs))]


def _one_value_twice(need: Need, entity: Entity, table: str, ctx: Ctx) -> PatternPlan | None:
    """The equality and the range name one value (a parent's key and the child's foreign key to it, also after
    a child filter re-reads the pattern on the child): no key can both fix it and range over it. Cassandra
    refuses the same pattern."""
    if need.range is None or need.range not in need.eq:
        return None
    reason = f"{need.range} is both an equality and the range attribute (one value reached two ways); keep one"
    return flag(need, entity.key, table, reason, ctx.sink)


def _plain_read(need: Need, entity: Entity, ctx: Ctx) -> PatternPlan:
    """The pattern's entity alone: a key path that fits, else a new GSI."""
    table = ctx.tables[entity.key]
    if (twice := _one_value_twice(need, entity, table, ctx)) is not None:
        return twice
    match = next((m for m in (match_path(need, p) for p in ctx.paths[entity.key]) if m), None)
    if match is None:
        return _gsi_read(need, entity, table, ctx)
    return _read_plan(need, entity, table, match, ctx, "table-key" if match.path.index is None else "gsi")
