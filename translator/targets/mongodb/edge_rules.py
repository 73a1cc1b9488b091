"""The embed / reference rule for one foreign key (see decide.py for the order the rules are tried)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from translator.ir import Cardinality, Entity, Relationship, Schema
from translator.targets.mongodb.decision_record import make_decision
from translator.targets.mongodb.mapping import MongoMapping
from translator.targets.mongodb.workload_facts import Facts
from translator.targets.record import Decision
from translator.types import TypeKind
from translator.workload.stats import StatsView, estimate_value_bytes

__all__ = ["Draft", "children_bound", "extended_fields", "relationship_draft"]


@dataclass
class Draft:
    """A decision being worked out (mutable only inside `decide`)."""

    rel: Relationship
    choice: str
    rule: str
    reason: str
    inputs: dict[str, Any]
    assumed: list[str]
    together: float = 0.0
    extra: Any = None
    role: str = ""  # the field holding a copy of the parent in the child (roles.py)
    copied: tuple[str, ...] = ()  # parent attributes copied into the child (whole object or extended reference)
    copy_for_reads: bool = False  # the copy serves reads of the child with its parent, not only filters

    def freeze(self, name: str | None = None) -> Decision:
        return make_decision(
            name or self.rel.name,
            self.choice,
            self.rule,
            self.reason,
            self.inputs,
            self.assumed,
            parent=self.rel.to_entity,
            child=self.rel.from_entity,
        )


def children_bound(fanout: Any) -> float:
    """The fan-out the rules compare: the maximum when known, else p99, else the average."""
    return float(next(v for v in (fanout.max, fanout.p99, fanout.avg) if v is not None))


#: Numbers are measures (a quantity on hand, a price, a counter): what updates of a row usually change.
MEASURE_KINDS = frozenset({TypeKind.INTEGER, TypeKind.DECIMAL, TypeKind.FLOAT})


def extended_fields(
    parent: Entity, rel: Relationship, schema: Schema, limit: int, own_key: bool = False, updated: bool = False
) -> tuple[str, ...]:
    """A few small, required, non-key parent attributes: what a listing of children shows of their parent.

    `own_key`: `parent` is the entity whose primary key the copy already holds (an array of child ids
    copying the children's fields), so its key, not `rel`'s parent key, is left out.
    `updated`: the workload updates `parent`'s rows without saying which fields; its numbers come after its
    other required fields, since numbers are what updates usually change (6 Rules of Thumb, part 2: copy
    the part's name, not its quantity on hand, which changes often)."""
    keyish = {a.casefold() for a in (parent.primary_key if own_key else rel.to_attributes)}
    keyish |= {a.casefold() for r in schema.relationships_from(parent.key) for a in r.from_attributes}
    candidates = [a for a in parent.attributes if a.name.casefold() not in keyish]
    candidates.sort(key=lambda a: (a.nullable, updated and a.type.kind in MEASURE_KINDS, estimate_value_bytes(a.type)))
    chosen = {a.name for a in candidates[:limit]}
    return tuple(a.name for a in parent.attributes if a.name in chosen)


RULES_OF_THUMB = "MongoDB, 6 Rules of Thumb for MongoDB Schema Design"


def fanout_class(fan: Any, rules: Any) -> tuple[str, float]:
    """("few" | "many" | "squillions", the figure compared).

    Measured statistics compare their maximum (the worst document is what must fit). Assumed ones follow
    the published rules of thumb: the class comes from the p99 (the average when there is no p99), and
    the 16 MiB limit is then checked against the maximum by the sizing step.
    """
    figure = (fan.p99 if fan.p99 is not None else fan.avg) if fan.assumed else children_bound(fan)
    if figure <= rules.few_max_children:
        return "few", float(figure)
    return ("many" if figure <= rules.bounded_max_children else "squillions"), float(figure)


def _measured_note(fan: Any, rules: Any) -> str:
    if not fan.assumed:
        return ""
    return (
        f" (fan-out assumed: avg {fan.avg:g}, p99 {fan.p99:g}, max {fan.max:g}; by the rules of thumb "
        f"({RULES_OF_THUMB}) a p99 up to {rules.few_max_children} is one-to-few and embeds, up to "
        f"{rules.bounded_max_children} one-to-many "
        f"and keeps an array of references, beyond that one-to-squillions and keeps a parent reference; with measured "
        f"statistics the class would come from the measured maximum instead)"
    )


def relationship_draft(
    schema: Schema,
    facts: Facts,
    stats: StatsView,
    mapping: MongoMapping,
    rel: Relationship,
    demoted: Mapping[Relationship, str],
    role: str = "",
) -> Draft:
    rules = mapping.rules
    fan = stats.fanout(rel)
    size_class, bound = fanout_class(fan, rules)
    with_rate, with_ids, together_assumed = facts.together(rel)
    by_key, by_key_ids, _ = facts.children_by_key(rel)
    together, together_ids = with_rate + by_key, with_ids + by_key_ids
    alone, alone_ids, alone_assumed = facts.alone(rel)
    child = schema.entity(rel.from_entity)
    required = all(not child.attribute(a).nullable for a in rel.from_attributes)
    inputs: dict[str, Any] = {
        "cardinality": str(rel.cardinality),
        "fanout": {"avg": fan.avg, "p99": fan.p99, "max": fan.max},
        "fanout_class": size_class,
        "fanout_compared": bound,
        "together_rate": together,
        "together_patterns": list(together_ids),
        "parent_with_children_rate": with_rate,
        "children_by_parent_key_rate": by_key,
        "alone_rate": alone,
        "alone_patterns": list(alone_ids),
        "few_max_children": rules.few_max_children,
        "bounded_max_children": rules.bounded_max_children,
        "alone_to_together_ratio": rules.alone_to_together_ratio,
    }
    assumed = []
    if fan.assumed:
        assumed.append("fanout")
    if together_assumed or alone_assumed or (not together_ids and not alone_ids and facts.workload.assumed):
        assumed.append("workload")
    draft = Draft(rel, "reference", "", "", inputs, assumed, together, role=role or schema.entity(rel.to_entity).name)
    p, c = rel.to_entity, rel.from_entity
    measured = _measured_note(fan, rules)

    if rel.is_self_reference:
        draft.rule = "self-reference"
        draft.reason = (
            f"{c} references itself through {', '.join(rel.from_attributes)}: embedding would recurse "
            "without end, so each document holds its parent's id"
        )
        return draft
    one = rel.cardinality is Cardinality.ONE_TO_ONE
    read_alone_heavy = alone > rules.alone_to_together_ratio * together
    if not facts.same_tenant(rel):
        draft.rule = "reference-tenant-boundary"
        draft.reason = (
            f"{c} and {p} are not tied to one tenant by {', '.join(rel.from_attributes)}: a document "
            f"holding both could mix tenants, so {c} is not embedded in {p}"
        )
        _parent_copy(schema, facts, rules, draft)
        return draft
    if together > 0 and not read_alone_heavy and (one or size_class == "few"):
        if rel in demoted:
            draft.rule, draft.reason = "embed-too-large", demoted[rel]
        else:
            draft.choice = "embed-object" if one else "embed-array"
            draft.rule = "embed-one-to-one" if one else "embed-one-to-few"
            draft.reason = (
                f"{p} and its {c} are read together at {together:g}/s ({', '.join(together_ids)}) and {c} "
                f"on its own only at {alone:g}/s; "
                + ("one-to-one: " if one else f"{bound:g} per {p} (<= {rules.few_max_children}){measured}: ")
                + f"{c} is embedded in {p}"
            )
            if not required:
                draft.extra = "orphans"
                draft.inputs.update(orphans_collection=True)
                draft.reason += (
                    f"; {', '.join(rel.from_attributes)} may be NULL, so a {c} without a {p} is kept in "
                    f"a collection of its own for such rows (nothing is dropped)"
                )
            return draft
    # Not embedded: say why, then see whether a pattern adds a copy or an id array.
    if not draft.rule:
        if together <= 0:
            draft.rule = "reference-not-read-together"
            draft.reason = (
                f"no access pattern reads {p} with its {c}, so {c} is not embedded in {p} and holds the {p} id"
            )
        elif read_alone_heavy:
            draft.rule = "reference-read-alone"
            draft.reason = (
                f"{c} is read or updated on its own at {alone:g}/s, more than {rules.alone_to_together_ratio:g}x "
                f"the {together:g}/s it is read with {p}: it keeps its own documents"
            )
        else:
            draft.rule = "reference-unbounded" if size_class == "squillions" else "reference-large-fanout"
            draft.reason = (
                f"{bound:g} {c} per {p} is more than one-to-few (<= {rules.few_max_children}){measured}; "
                f"{c} keeps its own documents holding the {p} id"
            )
    latest = facts.latest_n(rel, rules.subset_max_items)
    child_updates, update_ids, _ = facts.updates(c)
    # Each new child is also pushed into the parent's copy: the copy pays only when the children are
    # written no faster than that read looks at them (6 Rules of Thumb, part 2: a host's last 1000 log
    # messages are "a bad idea if you want to look at the data less frequently than you update it").
    child_inserts, insert_ids, _ = facts.inserts(c)
    child_writes = child_updates + child_inserts
    if latest is not None and not one and child_writes > latest.rate:
        draft.reason += (
            f"; {latest.id} reads the latest {latest.limit} {c} of a {p} at {latest.rate:g}/s, but {c} is "
            f"written at {child_writes:g}/s ({', '.join((*insert_ids, *update_ids))}), faster than that "
            f"read: {p} keeps no copy of its newest {c}, which every write would have to update"
        )
        draft.inputs.update(subset_pattern=latest.id, subset_rate=latest.rate, child_write_rate=child_writes)
    elif latest is not None and not one:
        draft.choice, draft.rule, draft.extra = "subset", "subset-latest-n", (latest.limit, latest.order_by, latest.id)
        draft.inputs.update(
            subset_pattern=latest.id,
            subset_rate=latest.rate,
            subset_items=latest.limit,
            child_update_rate=child_updates,
            child_insert_rate=child_inserts,
        )
        draft.reason += (
            f"; {latest.id} reads the latest {latest.limit} {c} of a {p} at {latest.rate:g}/s, so {p} "
            f"also embeds a copy of its newest {latest.limit} (subset pattern)"
        )
        _parent_copy(schema, facts, rules, draft)
        return draft
    if with_rate > 0 and not one and size_class != "squillions" and child.primary_key:
        draft.choice = "reference-with-child-ids"
        if draft.rule != "embed-too-large":  # the refusal is the decisive rule; keep it visible
            draft.rule = "child-ids-bounded-read-from-parent"
        draft.reason += (
            f"; {p} is read with its {c} and has {bound:g} of them (one-to-many, <= "
            f"{rules.bounded_max_children}), so {p} also holds an array of their ids"
        )
        _child_copy(schema, facts, rules, draft, with_rate, with_ids, bound, mapping.budget_bytes)
        _parent_copy(schema, facts, rules, draft)
        return draft
    _parent_copy(schema, facts, rules, draft)
    return draft


def _child_copy(
    schema: Schema,
    facts: Facts,
    rules: Any,
    draft: Draft,
    with_rate: float,
    with_ids: tuple[str, ...],
    bound: float,
    budget: int,
) -> None:
    """The parent's array of child ids also carries a few of each child's fields when the children change
    no faster than the parent is read with them (6 Rules of Thumb, part 2, "Denormalizing from Many ->
    One": a product's `parts` array holding each part's id and name). The same read-to-write test as the
    many-to-many arrays' copies; fields by `extended_fields`."""
    rel = draft.rel
    c = rel.from_entity
    child = schema.entity(c)
    updates, update_ids, _ = facts.updates(c)
    if updates * rules.alone_to_together_ratio > with_rate:
        draft.reason += (
            f"; {c} changes at {updates:g}/s ({', '.join(update_ids)}), faster than the {with_rate:g}/s "
            f"{rel.to_entity} is read with them, so the array holds bare ids"
        )
        return
    fields = extended_fields(child, rel, schema, rules.extended_reference_max_fields, own_key=True, updated=updates > 0)
    if not fields:
        return
    # The copies must not make the parent's array a large embedding: up to `bound` elements of them.
    element = sum(estimate_value_bytes(child.attribute(a).type) + len(a) + 2 for a in fields)
    if bound * element > budget:
        draft.reason += (
            f"; copying {', '.join(fields)} of {bound:g} {c} into the array would take about "
            f"{bound * element:,.0f} bytes, over the {budget:,}-byte document budget, so it holds bare ids"
        )
        return
    draft.extra = fields
    draft.inputs.update(child_update_rate=updates, child_copied_fields=list(fields))
    draft.reason += (
        f"; {c} changes at {updates:g}/s against {with_rate:g}/s of reads with {rel.to_entity} "
        f"({', '.join(with_ids)}), rarely: each element of the array also copies {', '.join(fields)} of its {c}"
    )


def _parent_copy(schema: Schema, facts: Facts, rules: Any, draft: Draft) -> None:
    """A child carries a copy of its parent's fields when
    - it is read with its parent and the parent changes rarely: the whole parent object when it is small
      (at most `extended_reference_max_fields` fields besides its key), else an extended reference with
      that many of its fields (MongoDB, Building with Patterns: the Extended Reference); or
    - a read of the child filters or sorts on the parent's attributes: those are copied whatever the
      parent's update rate, since only fields in the child's own document can be matched by its index
      (the parent's updates then update the copies).
    Either may come on top of a subset or an id array in the parent: what the parent holds of its children
    does not serve a read of one child with its parent (6 Rules of Thumb, part 2: a product's array of
    part references and each part's copy of the product's name, side by side)."""
    rel = draft.rel
    p, c = rel.to_entity, rel.from_entity
    with_parent, with_ids, _ = facts.child_with_parent(rel)
    filter_rate, filter_ids, filtered = facts.filters_across(rel)
    parent_updates, update_ids, _ = facts.updates(p)
    if (with_parent > 0 or filtered) and not facts.copy_stays_in_tenant(rel):
        draft.reason += f"; {p} belongs to a tenant that {c}'s key does not fix, so no copy of it goes into {c}"
        return
    read_copy = with_parent > 0 and parent_updates * rules.alone_to_together_ratio <= with_parent
    if with_parent > 0 and not read_copy:
        draft.reason += (
            f"; {c} is read with its {p} at {with_parent:g}/s, but {p} changes at {parent_updates:g}/s "
            f"({', '.join(update_ids)}), too often to copy it into every {c} for that read"
        )
    parent = schema.entity(p)
    limit = rules.extended_reference_max_fields
    keyish = {a.casefold() for a in rel.to_attributes}
    own = [a.name for a in parent.attributes if a.name.casefold() not in keyish]
    whole = read_copy and len(own) <= limit
    chosen = set(
        own if whole else extended_fields(parent, rel, schema, limit, updated=parent_updates > 0) if read_copy else ()
    )
    # The parent's key needs no copy: the child's foreign key holds it.
    chosen |= {a for a in filtered if a.casefold() not in keyish}
    fields = tuple(a.name for a in parent.attributes if a.name in chosen)
    if not fields:
        return
    draft.copied, draft.copy_for_reads = fields, read_copy
    if draft.choice == "reference":
        draft.choice = "parent-object-copy" if whole else "extended-reference"
        if draft.rule != "embed-too-large":  # the refusal is the decisive rule; keep it visible
            draft.rule = (
                "embed-parent-read-with-child"
                if whole
                else "extended-reference-read-with-parent"
                if read_copy
                else "extended-reference-filtered-on-parent"
            )
    draft.inputs.update(
        child_with_parent_rate=with_parent,
        child_with_parent_patterns=list(with_ids),
        filter_on_parent_rate=filter_rate,
        filter_on_parent_patterns=list(filter_ids),
        parent_update_rate=parent_updates,
        parent_fields=len(own),
        extended_reference_max_fields=limit,
        copied_fields=list(fields),
        copy_field=draft.role,
    )
    at = f"{c}.{draft.role}"
    if whole:
        what = (
            f"{p} has {len(own)} field(s) besides its key (<= {limit}), so each {c} holds a copy of the whole "
            f"{p} object at {at} ({', '.join(fields)}: an extended reference with every field)"
        )
    else:
        what = f"an extended reference at {at} copies {', '.join(fields)} of {p}" + (
            f" ({p} has {len(own)} fields besides its key, > {limit})" if read_copy else ""
        )
    why = []
    if read_copy:
        why.append(f"{c} is read with its {p} at {with_parent:g}/s ({', '.join(with_ids)})")
    if filtered:
        why.append(
            f"{', '.join(filter_ids)} filter{'s' if len(filter_ids) == 1 else ''} {c} on "
            f"{', '.join(f'{p}.{a}' for a in filtered)} through {', '.join(rel.from_attributes)} at {filter_rate:g}/s, "
            f"which an index of {c} can match only in a copy"
        )
    often = (
        "rarely"
        if parent_updates * rules.alone_to_together_ratio <= with_parent + filter_rate
        else "often, but the filter needs the copy"
    )
    draft.reason += (
        f"; {' and '.join(why)}, and {p} changes at {parent_updates:g}/s, {often}: {what}; {p} keeps its own "
        f"documents, and its updates also update the copies"
    )
