"""Many-to-many links through a junction: arrays of references (one-way or two-way), embedded copies of
the other side's fields, or the junction kept as a collection."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from translator.ir import ManyToMany, Schema
from translator.targets.mongodb.decision_record import make_decision
from translator.targets.mongodb.edge_rules import children_bound, extended_fields
from translator.targets.mongodb.mapping import MongoMapping
from translator.targets.mongodb.workload_facts import Facts
from translator.targets.record import Decision
from translator.workload.stats import StatsView

__all__ = ["JunctionPlan", "junction_decision"]


@dataclass(frozen=True)
class JunctionPlan:
    """A many-to-many absorbed into arrays: `holders` are the sides ("left"/"right") that hold the array."""

    link: ManyToMany
    holders: tuple[str, ...]
    extras: tuple[str, ...] = ()  # junction attributes carried in the first holder's array elements
    copies: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (side, other side's attributes copied into elements)


def _junction_extras(schema: Schema, link: ManyToMany) -> tuple[str, ...]:
    junction = schema.entity(link.junction)
    fk = {a.casefold() for a in (*link.left.from_attributes, *link.right.from_attributes)}
    return tuple(a.name for a in junction.attributes if a.name.casefold() not in fk)


def junction_decision(
    schema: Schema, facts: Facts, stats: StatsView, mapping: MongoMapping, link: ManyToMany
) -> tuple[Decision, JunctionPlan | None]:
    bound = mapping.rules.bounded_max_children
    extras = _junction_extras(schema, link)
    pure = not schema.relationships_to(link.junction)
    why_not = "" if pure else f"other entities reference the rows of {link.junction}, so it stays a collection"
    inputs: dict[str, Any] = {}
    assumed: list[str] = []
    holders = []
    for side, via, other in (("left", link.left, link.right), ("right", link.right, link.left)):
        rate, ids, rate_assumed = facts.reads_via_junction(via.to_entity, other.to_entity, link.junction, via)
        fan = stats.fanout(via)
        inputs[f"{side}"] = via.to_entity
        inputs[f"{side}_reads_rate"] = rate
        inputs[f"{side}_reads_patterns"] = list(ids)
        inputs[f"{side}_max_links"] = children_bound(fan)
        inputs[f"{side}_avg_links"] = fan.avg
        if fan.assumed:
            assumed.append(f"fan-out of {via.name}")
        if rate_assumed:
            assumed.append(f"patterns {', '.join(ids)}")
        if rate > 0 and children_bound(fan) <= bound:
            holders.append(side)
    inputs["bounded_max_children"] = bound
    names = f"{link.left.to_entity} and {link.right.to_entity}"
    if not pure or not holders:
        reason = why_not or (
            f"neither {names} is read with the other through {link.junction} with a bounded "
            f"number of links (<= {bound}), so the junction stays a collection referencing both"
        )
        decision = make_decision(
            link.junction,
            "junction-collection",
            "junction-kept",
            reason,
            inputs,
            assumed,
            parent=None,
            child=link.junction,
        )
        return decision, None
    if len(holders) == 2:
        choice, rule = "two-way-references", "many-to-many-read-both-ways"
        reason = (
            f"{names} are read with each other, and each side has at most {inputs['left_max_links']:g} / "
            f"{inputs['right_max_links']:g} links: each holds an array of the other's ids; "
            f"the junction {link.junction} becomes these arrays"
        )
    else:
        side = holders[0]
        holder = inputs[side]
        choice, rule = "one-way-references", "many-to-many-read-one-way"
        reason = (
            f"only {holder} is read with the other side, with a bounded number of links: {holder} holds "
            f"an array of ids; the junction {link.junction} becomes this array"
        )
    copies = []
    rules = mapping.rules
    for side in holders:
        via, other = (link.left, link.right) if side == "left" else (link.right, link.left)
        other_stats = stats.entity(other.to_entity)
        updates = facts.updates(other.to_entity)[0]
        small = not other_stats.assumed and other_stats.rows <= rules.copy_max_rows and updates == 0
        # Read together, a few links per document, and the other side changes rarely: embed its names
        # (MongoDB, 6 Rules of Thumb: denormalize when the read-to-write ratio is high).
        few = children_bound(stats.fanout(via)) <= rules.few_max_children
        rarely = updates * rules.alone_to_together_ratio <= inputs[f"{side}_reads_rate"]
        if not (small or (few and rarely)) or not facts.copy_stays_in_tenant(other):
            continue
        fields = extended_fields(
            schema.entity(other.to_entity), other, schema, rules.extended_reference_max_fields, updated=updates > 0
        )
        if fields:
            copies.append((side, fields))
            why = (
                f"{other.to_entity} is small ({other_stats.rows:g} rows) and never updated"
                if small
                else f"{via.to_entity} has at most {inputs[f'{side}_max_links']:g} of them "
                f"(<= {rules.few_max_children}) "
                f"and {other.to_entity} changes at {updates:g}/s against {inputs[f'{side}_reads_rate']:g}/s of reads"
            )
            reason += f"; {why}, so {via.to_entity}'s array elements also embed its {', '.join(fields)}"
            inputs[f"{side}_copied_fields"] = list(fields)
            inputs[f"{side}_other_rows"] = other_stats.rows
            inputs[f"{side}_other_update_rate"] = updates
    inputs["copy_max_rows"] = mapping.rules.copy_max_rows
    if extras:
        holder = inputs[holders[0]]
        reason += f"; its own attributes ({', '.join(extras)}) ride along in the elements of {holder}'s array"
        inputs["carried_attributes"] = list(extras)
    return (
        make_decision(link.junction, choice, rule, reason, inputs, assumed, parent=None, child=link.junction),
        JunctionPlan(link, tuple(holders), extras, tuple(copies)),
    )
