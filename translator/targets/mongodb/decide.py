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

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from translator.diagnostics import DiagnosticSink
from translator.ir import Relationship, Schema
from translator.targets.mongodb.decision_record import make_decision, numbers_of
from translator.targets.mongodb.edge_rules import Draft, children_bound, relationship_draft
from translator.targets.mongodb.junction_rules import JunctionPlan, junction_decision
from translator.targets.mongodb.mapping import MongoMapping
from translator.targets.mongodb.roles import role_names
from translator.targets.mongodb.workload_facts import Facts
from translator.targets.record import Decision
from translator.tenancy import Tenancy
from translator.workload.model import Workload
from translator.workload.stats import StatsView

__all__ = ["Plan", "JunctionPlan", "decide", "make_decision", "numbers_of", "children_bound"]


@dataclass(frozen=True)
class Plan:
    decisions: tuple[Decision, ...]
    embeds: Mapping[str, Relationship]  # child entity key -> the relationship it is embedded through
    child_ids: tuple[Relationship, ...]
    subsets: tuple[tuple[Relationship, int, tuple[Any, ...], str], ...]  # (rel, N, order terms, pattern id)
    extended: tuple[tuple[Relationship, tuple[str, ...]], ...]  # (rel, parent attributes copied)
    junctions: tuple[JunctionPlan, ...]
    together_rates: Mapping[Relationship, float] = field(default_factory=dict)
    #: Embeddings through a nullable foreign key: rows without a parent live in a collection of their own.
    orphans: tuple[Relationship, ...] = ()
    #: Per foreign key, the name of the parent seen from the child (`origin`, `dest`): copies and lookups use it.
    roles: Mapping[Relationship, str] = field(default_factory=dict)
    #: Parent copies made only for filters (`extended`): a read of the child with its parent looks it up.
    filter_copies: frozenset[Relationship] = frozenset()
    #: Child attributes copied into each element of a parent's array of child ids.
    child_id_copies: Mapping[Relationship, tuple[str, ...]] = field(default_factory=dict)


def _break_cycles(drafts: dict[Relationship, Draft], sink: DiagnosticSink) -> None:
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
                cycle = seen[seen.index(node) :]
                break
        if cycle is None:
            return
        weakest = min((embeds[n] for n in cycle), key=lambda d: (d.together, d.rel.name))
        path = " -> ".join([*cycle, cycle[0]])
        weakest.choice, weakest.rule = "reference", "embed-cycle"
        weakest.reason = (
            f"embedding would recurse along {path}; the edge read together least often "
            f"({weakest.rel.name}, {weakest.together:g}/s) becomes a reference"
        )
        sink.warning(
            "mongodb-embed-cycle",
            f"relationship cycle {path}: {weakest.rel.name} is referenced, not embedded",
            subject=weakest.rel.name,
        )


def _one_parent_each(drafts: dict[Relationship, Draft]) -> None:
    """A child can be embedded in one parent only: keep the one it is read with most."""
    by_child: dict[str, list[Draft]] = {}
    for d in drafts.values():
        if d.choice.startswith("embed"):
            by_child.setdefault(d.rel.from_entity, []).append(d)
    for child, candidates in by_child.items():
        candidates.sort(key=lambda d: (-d.together, d.rel.name))
        for loser in candidates[1:]:
            winner = candidates[0].rel
            loser.choice, loser.rule = "reference", "embedded-elsewhere"
            loser.reason = (
                f"{child} is already embedded in {winner.to_entity} (read together at "
                f"{candidates[0].together:g}/s vs {loser.together:g}/s), so it references {loser.rel.to_entity}"
            )


def decide(
    schema: Schema,
    workload: Workload,
    stats: StatsView,
    mapping: MongoMapping,
    sink: DiagnosticSink,
    demoted: Mapping[Relationship, str] | None = None,
    tenancy: Tenancy | None = None,
    facts: Facts | None = None,
) -> Plan:
    """Every relationship's decision; `demoted` names embeddings to refuse (too large), with the reason."""
    facts = facts or Facts(schema, workload, tenancy or Tenancy())
    demoted = demoted or {}
    decisions: list[Decision] = []
    junction_plans = []
    in_junction: set[Relationship] = set()
    for link in schema.many_to_many():
        decision, plan = junction_decision(schema, facts, stats, mapping, link)
        decisions.append(decision)
        if plan is not None:
            junction_plans.append(plan)
            in_junction |= {link.left, link.right}
    roles = role_names(schema, schema.relationships, facts.tenancy)
    drafts = {
        rel: relationship_draft(schema, facts, stats, mapping, rel, demoted, roles[rel])
        for rel in schema.relationships
        if rel not in in_junction
    }
    _one_parent_each(drafts)
    _break_cycles(drafts, sink)
    for rel, draft in drafts.items():
        if rel.is_self_reference:
            sink.info(
                "mongodb-self-reference",
                f"{rel.name}: {rel.from_entity} references itself; kept as a reference",
                subject=rel.name,
            )
        decisions.append(draft.freeze())
    return Plan(
        decisions=tuple(decisions),
        embeds={d.rel.from_entity: d.rel for d in drafts.values() if d.choice.startswith("embed")},
        child_ids=tuple(d.rel for d in drafts.values() if d.choice == "reference-with-child-ids"),
        subsets=tuple((d.rel, *d.extra) for d in drafts.values() if d.choice == "subset"),
        extended=tuple((d.rel, d.copied) for d in drafts.values() if d.copied),
        orphans=tuple(d.rel for d in drafts.values() if d.choice.startswith("embed") and d.extra == "orphans"),
        junctions=tuple(junction_plans),
        together_rates={d.rel: d.together for d in drafts.values()},
        roles=roles,
        filter_copies=frozenset(d.rel for d in drafts.values() if d.copied and not d.copy_for_reads),
        child_id_copies={d.rel: d.extra for d in drafts.values() if d.choice == "reference-with-child-ids" and d.extra},
    )
