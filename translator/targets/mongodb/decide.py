"""Embed / reference decisions per relationship: pure rules over the IR, the workload and statistics.

The rules, in the order they are tried (thresholds are data: `[rules]` in mappings/mongodb.toml):
- self-reference: never embed an entity into itself; the child holds its parent's id.
- many-to-many through a pure junction: arrays of references on each side read from (two-way when read
  both ways); a junction with its own attributes, or read from neither side, stays a collection.
- embed (array for one-to-few, object for one-to-one) when the parent is read with the child, the
  child is not read or updated on its own at a higher rate, every child has a parent (required FK) and
  the fan-out is at most `few_max_children`; the document size is checked afterwards (design.py).
- otherwise a reference (the child holds the parent's id), and additionally:
  subset (newest N copied into the parent) for a "latest N" read, parent array of child ids when the
  fan-out is bounded and the parent is read with its children, extended reference (a few parent fields
  copied into the child) when the child is read with its parent and the parent rarely changes.
Cycles of embeddings are cut at the edge read together least often.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from translator.diagnostics import DiagnosticSink
from translator.ir import Cardinality, Entity, ManyToMany, Relationship, Schema
from translator.targets.mongodb.mapping import MongoMapping
from translator.targets.record import Decision, Number
from translator.targets.mongodb.workload_facts import Facts
from translator.workload.model import Workload
from translator.workload.stats import StatsView, estimate_value_bytes

__all__ = ["Plan", "JunctionPlan", "decide", "make_decision", "numbers_of"]


def _flatten(inputs: Mapping[str, Any]) -> list[tuple[str, Number]]:
    """The rule's inputs as record numbers: nested figures get a prefix, lists of pattern ids are joined."""
    out: list[tuple[str, Number]] = []
    for key, value in inputs.items():
        if isinstance(value, Mapping):
            out += [(f"{key}_{k}", v) for k, v in _flatten(value)]
        elif isinstance(value, (list, tuple)):
            out.append((key, ", ".join(map(str, value))))
        else:
            out.append((key, value))
    return out


def make_decision(subject: str, choice: str, rule: str, reason: str, inputs: Mapping[str, Any],
                  assumed: Any = (), *, parent: str | None, child: str | None) -> Decision:
    """A record.Decision about a relationship or junction: `parent`/`child` lead its numbers."""
    numbers = [("parent", parent), ("child", child), *_flatten(inputs)]
    return Decision(subject, choice, rule, reason, tuple(numbers), tuple(dict.fromkeys(assumed)))


def numbers_of(decision: Decision) -> dict[str, Number]:
    return dict(decision.numbers)


@dataclass(frozen=True)
class JunctionPlan:
    """A many-to-many absorbed into arrays: `holders` are the sides ("left"/"right") that hold the array."""

    link: ManyToMany
    holders: tuple[str, ...]
    extras: tuple[str, ...] = ()  # junction attributes carried in the first holder's array elements
    copies: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (side, other side's attributes copied into elements)


@dataclass(frozen=True)
class Plan:
    decisions: tuple[Decision, ...]
    embeds: Mapping[str, Relationship]  # child entity key -> the relationship it is embedded through
    child_ids: tuple[Relationship, ...]
    subsets: tuple[tuple[Relationship, int, tuple[Any, ...], str], ...]  # (rel, N, order terms, pattern id)
    extended: tuple[tuple[Relationship, tuple[str, ...]], ...]  # (rel, parent attributes copied)
    junctions: tuple[JunctionPlan, ...]
    together_rates: Mapping[Relationship, float] = field(default_factory=dict)


@dataclass
class _Draft:
    """A decision being worked out (mutable only inside `decide`)."""

    rel: Relationship
    choice: str
    rule: str
    reason: str
    inputs: dict[str, Any]
    assumed: list[str]
    together: float = 0.0
    extra: Any = None

    def freeze(self, name: str | None = None) -> Decision:
        return make_decision(name or self.rel.name, self.choice, self.rule, self.reason, self.inputs, self.assumed,
                             parent=self.rel.to_entity, child=self.rel.from_entity)


def _children_bound(fanout: Any) -> float:
    """The fan-out the rules compare: the maximum when known, else p99, else the average."""
    return float(next(v for v in (fanout.max, fanout.p99, fanout.avg) if v is not None))


def _junction_extras(schema: Schema, link: ManyToMany) -> tuple[str, ...]:
    junction = schema.entity(link.junction)
    fk = {a.casefold() for a in (*link.left.from_attributes, *link.right.from_attributes)}
    return tuple(a.name for a in junction.attributes if a.name.casefold() not in fk)


def _junction(schema: Schema, facts: Facts, stats: StatsView, mapping: MongoMapping,
              link: ManyToMany) -> tuple[Decision, JunctionPlan | None]:
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
        inputs[f"{side}_max_links"] = _children_bound(fan)
        if fan.assumed:
            assumed.append(f"fan-out of {via.name}")
        if rate_assumed:
            assumed.append(f"patterns {', '.join(ids)}")
        if rate > 0 and _children_bound(fan) <= bound:
            holders.append(side)
    inputs["bounded_max_children"] = bound
    names = f"{link.left.to_entity} and {link.right.to_entity}"
    if not pure or not holders:
        reason = why_not or (f"neither {names} is read with the other through {link.junction} with a bounded "
                             f"number of links (<= {bound}), so the junction stays a collection referencing both")
        decision = make_decision(link.junction, "junction-collection", "junction-kept", reason, inputs, assumed,
                                 parent=None, child=link.junction)
        return decision, None
    if len(holders) == 2:
        choice, rule = "two-way-references", "many-to-many-read-both-ways"
        reason = (f"{names} are read with each other, and each side has at most {inputs['left_max_links']:g} / "
                  f"{inputs['right_max_links']:g} links: each holds an array of the other's ids; "
                  f"the junction {link.junction} becomes these arrays")
    else:
        side = holders[0]
        holder = inputs[side]
        choice, rule = "one-way-references", "many-to-many-read-one-way"
        reason = (f"only {holder} is read with the other side, with a bounded number of links: {holder} holds "
                  f"an array of ids; the junction {link.junction} becomes this array")
    copies = []
    for side in holders:
        via, other = (link.left, link.right) if side == "left" else (link.right, link.left)
        other_stats = stats.entity(other.to_entity)
        if other_stats.assumed or other_stats.rows > mapping.rules.copy_max_rows or facts.updates(other.to_entity)[0] > 0:
            continue
        fields = _extended_fields(schema.entity(other.to_entity), other, schema, mapping.rules.extended_reference_max_fields)
        if fields:
            copies.append((side, fields))
            reason += (f"; {other.to_entity} is small ({other_stats.rows:g} rows) and never updated, so {via.to_entity}'s "
                       f"array elements also copy its {', '.join(fields)}")
            inputs[f"{side}_copied_fields"] = list(fields)
            inputs[f"{side}_other_rows"] = other_stats.rows
    inputs["copy_max_rows"] = mapping.rules.copy_max_rows
    if extras:
        holder = inputs[holders[0]]
        reason += f"; its own attributes ({', '.join(extras)}) ride along in the elements of {holder}'s array"
        inputs["carried_attributes"] = list(extras)
    return (make_decision(link.junction, choice, rule, reason, inputs, assumed, parent=None, child=link.junction),
            JunctionPlan(link, tuple(holders), extras, tuple(copies)))


def _extended_fields(parent: Entity, rel: Relationship, schema: Schema, limit: int) -> tuple[str, ...]:
    """A few small, required, non-key parent attributes: what a listing of children shows of their parent."""
    keyish = {a.casefold() for a in rel.to_attributes}
    keyish |= {a.casefold() for r in schema.relationships_from(parent.key) for a in r.from_attributes}
    candidates = [a for a in parent.attributes if a.name.casefold() not in keyish]
    candidates.sort(key=lambda a: (a.nullable, estimate_value_bytes(a.type)))
    chosen = {a.name for a in candidates[:limit]}
    return tuple(a.name for a in parent.attributes if a.name in chosen)


def _relationship(schema: Schema, facts: Facts, stats: StatsView, mapping: MongoMapping, rel: Relationship,
                  demoted: Mapping[Relationship, str]) -> _Draft:
    rules = mapping.rules
    fan = stats.fanout(rel)
    bound = _children_bound(fan)
    with_rate, with_ids, together_assumed = facts.together(rel.to_entity, rel.from_entity)
    by_key, by_key_ids, _ = facts.children_by_key(rel)
    together, together_ids = with_rate + by_key, with_ids + by_key_ids
    alone, alone_ids, alone_assumed = facts.alone(rel)
    child = schema.entity(rel.from_entity)
    required = all(not child.attribute(a).nullable for a in rel.from_attributes)
    inputs: dict[str, Any] = {
        "cardinality": str(rel.cardinality),
        "fanout": {"avg": fan.avg, "p99": fan.p99, "max": fan.max},
        "together_rate": together, "together_patterns": list(together_ids),
        "parent_with_children_rate": with_rate, "children_by_parent_key_rate": by_key,
        "alone_rate": alone, "alone_patterns": list(alone_ids),
        "few_max_children": rules.few_max_children,
        "bounded_max_children": rules.bounded_max_children,
        "alone_to_together_ratio": rules.alone_to_together_ratio,
    }
    assumed = []
    if fan.assumed:
        assumed.append("fanout")
    if together_assumed or alone_assumed or (not together_ids and not alone_ids and facts.workload.assumed):
        assumed.append("workload")
    draft = _Draft(rel, "reference", "", "", inputs, assumed, together)
    p, c = rel.to_entity, rel.from_entity

    if rel.is_self_reference:
        draft.rule = "self-reference"
        draft.reason = f"{c} references itself through {', '.join(rel.from_attributes)}: embedding would recurse without end, so each document holds its parent's id"
        return draft
    one = rel.cardinality is Cardinality.ONE_TO_ONE
    read_alone_heavy = alone > rules.alone_to_together_ratio * together
    if together > 0 and not read_alone_heavy and required and (one or bound <= rules.few_max_children):
        if rel in demoted:
            draft.rule, draft.reason = "embed-too-large", demoted[rel]
        else:
            draft.choice = "embed-object" if one else "embed-array"
            draft.rule = "embed-one-to-one" if one else "embed-one-to-few"
            draft.reason = (f"{p} and its {c} are read together at {together:g}/s ({', '.join(together_ids)}) and {c} "
                            f"on its own only at {alone:g}/s; "
                            + ("one-to-one: " if one else f"at most {bound:g} per {p} (<= {rules.few_max_children}): ")
                            + f"{c} is embedded in {p}")
            return draft
    # Not embedded: say why, then see whether a pattern adds a copy or an id array.
    if not draft.rule:
        if together <= 0:
            draft.rule = "reference-not-read-together"
            draft.reason = f"no access pattern reads {p} with {c}, so {c} keeps its own documents holding the {p} id"
        elif read_alone_heavy:
            draft.rule = "reference-read-alone"
            draft.reason = (f"{c} is read or updated on its own at {alone:g}/s, more than {rules.alone_to_together_ratio:g}x "
                            f"the {together:g}/s it is read with {p}: it keeps its own documents")
        elif not required:
            draft.rule = "reference-optional-parent"
            draft.reason = f"{', '.join(rel.from_attributes)} may be NULL: a {c} without a {p} could not live inside one"
        else:
            draft.rule = "reference-unbounded" if bound > rules.bounded_max_children else "reference-large-fanout"
            draft.reason = (f"up to {bound:g} {c} per {p} is more than one-to-few (<= {rules.few_max_children}); "
                            f"{c} keeps its own documents holding the {p} id")
    latest = facts.latest_n(rel, rules.subset_max_items)
    child_updates = facts.updates(c)[0]
    if latest is not None and not one and child_updates <= latest.rate:
        draft.choice, draft.rule, draft.extra = "subset", "subset-latest-n", (latest.limit, latest.order_by, latest.id)
        draft.inputs.update(subset_pattern=latest.id, subset_rate=latest.rate, subset_items=latest.limit,
                            child_update_rate=child_updates)
        draft.reason += (f"; {latest.id} reads the latest {latest.limit} {c} of a {p} at {latest.rate:g}/s, so {p} "
                         f"also embeds a copy of its newest {latest.limit} (subset pattern)")
        return draft
    if with_rate > 0 and not one and bound <= rules.bounded_max_children and child.primary_key:
        draft.choice = "reference-with-child-ids"
        if draft.rule != "embed-too-large":  # the refusal is the decisive rule; keep it visible
            draft.rule = "child-ids-bounded-read-from-parent"
        draft.reason += f"; {p} is read with its {c} and has at most {bound:g} of them, so {p} also holds an array of their ids"
        return draft
    with_parent, with_ids, _ = facts.child_with_parent(rel)
    parent_updates = facts.updates(p)[0]
    if with_parent > 0 and parent_updates * rules.alone_to_together_ratio <= with_parent:
        fields = _extended_fields(schema.entity(p), rel, schema, rules.extended_reference_max_fields)
        if fields:
            draft.choice, draft.rule, draft.extra = "extended-reference", "extended-reference-read-with-parent", fields
            draft.inputs.update(child_with_parent_rate=with_parent, child_with_parent_patterns=list(with_ids),
                                parent_update_rate=parent_updates, copied_fields=list(fields))
            draft.reason += (f"; {c} is read with its {p} at {with_parent:g}/s and {p} changes at {parent_updates:g}/s: "
                             f"{', '.join(fields)} of {p} are copied into {c} (extended reference)")
    return draft


def _break_cycles(drafts: dict[Relationship, _Draft], sink: DiagnosticSink) -> None:
    """Embedding A in B and B in A (directly or through others) would recurse: cut the weakest edge."""
    while True:
        embeds = {d.rel.from_entity: d for d in drafts.values() if d.choice.startswith("embed")}
        cycle = None
        for start in embeds:
            seen, node = [], start
            while node in embeds and node not in seen:
                seen.append(node)
                node = embeds[node].rel.to_entity
            if node in seen:
                cycle = seen[seen.index(node):]
                break
        if cycle is None:
            return
        weakest = min((embeds[n] for n in cycle), key=lambda d: (d.together, d.rel.name))
        path = " -> ".join([*cycle, cycle[0]])
        weakest.choice, weakest.rule = "reference", "embed-cycle"
        weakest.reason = (f"embedding would recurse along {path}; the edge read together least often "
                          f"({weakest.rel.name}, {weakest.together:g}/s) becomes a reference")
        sink.warning("mongodb-embed-cycle", f"relationship cycle {path}: {weakest.rel.name} is referenced, not embedded",
                     subject=weakest.rel.name)


def _one_parent_each(drafts: dict[Relationship, _Draft]) -> None:
    """A child can be embedded in one parent only: keep the one it is read with most."""
    by_child: dict[str, list[_Draft]] = {}
    for d in drafts.values():
        if d.choice.startswith("embed"):
            by_child.setdefault(d.rel.from_entity, []).append(d)
    for child, candidates in by_child.items():
        candidates.sort(key=lambda d: (-d.together, d.rel.name))
        for loser in candidates[1:]:
            winner = candidates[0].rel
            loser.choice, loser.rule = "reference", "embedded-elsewhere"
            loser.reason = (f"{child} is already embedded in {winner.to_entity} (read together at "
                            f"{candidates[0].together:g}/s vs {loser.together:g}/s), so it references {loser.rel.to_entity}")


def decide(schema: Schema, workload: Workload, stats: StatsView, mapping: MongoMapping, sink: DiagnosticSink,
           demoted: Mapping[Relationship, str] | None = None) -> Plan:
    """Every relationship's decision; `demoted` names embeddings to refuse (too large), with the reason."""
    facts = Facts(schema, workload)
    demoted = demoted or {}
    decisions: list[Decision] = []
    junction_plans = []
    in_junction: set[Relationship] = set()
    for link in schema.many_to_many():
        decision, plan = _junction(schema, facts, stats, mapping, link)
        decisions.append(decision)
        if plan is not None:
            junction_plans.append(plan)
            in_junction |= {link.left, link.right}
    drafts = {rel: _relationship(schema, facts, stats, mapping, rel, demoted)
              for rel in schema.relationships if rel not in in_junction}
    _one_parent_each(drafts)
    _break_cycles(drafts, sink)
    for rel, draft in drafts.items():
        if rel.is_self_reference:
            sink.info("mongodb-self-reference", f"{rel.name}: {rel.from_entity} references itself; kept as a reference",
                      subject=rel.name)
        decisions.append(draft.freeze())
    return Plan(
        decisions=tuple(decisions),
        embeds={d.rel.from_entity: d.rel for d in drafts.values() if d.choice.startswith("embed")},
        child_ids=tuple(d.rel for d in drafts.values() if d.choice == "reference-with-child-ids"),
        subsets=tuple((d.rel, *d.extra) for d in drafts.values() if d.choice == "subset"),
        extended=tuple((d.rel, d.extra) for d in drafts.values() if d.choice == "extended-reference"),
        junctions=tuple(junction_plans),
        together_rates={d.rel: d.together for d in drafts.values()},
    )
