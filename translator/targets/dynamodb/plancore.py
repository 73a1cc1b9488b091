"""The pieces every plan is made of: the planning context, key-path matching, GSI paths, expression
names and value bindings, and the flag for a pattern no key serves."""

from __future__ import annotations

from dataclasses import dataclass, field

from translator.diagnostics import DiagnosticSink
from translator.ir import Entity, Schema
from translator.targets.dynamodb.mapping import DynamoRules
from translator.targets.dynamodb.model import KeyPath, KeyTemplate, PatternPlan, ValueBinding
from translator.targets.dynamodb.needs import Copies, Need
from translator.targets.dynamodb.placement import Layout
from translator.targets.dynamodb.quoting import inert
from translator.targets.dynamodb.tenant import lead
from translator.targets.record import Decision

__all__ = ["Ctx", "Match", "match_path", "add_gsi_path", "Names", "bind", "flag"]


@dataclass
class Ctx:
    """What planning reads and extends: key paths per entity (index 0: the table key), copies, decisions."""

    schema: Schema
    paths: dict[str, list[KeyPath]]
    tables: dict[str, str]
    tags: dict[str, str]
    copies: Copies
    layout: Layout
    rules: DynamoRules
    sink: DiagnosticSink
    shards: dict[str, int] = field(default_factory=dict)  # entity -> suffixes of its constant-partition GSI
    decisions: list[Decision] = field(default_factory=list)
    tenant: dict[str, str] = field(default_factory=dict)  # entity -> tenant column, when the tenancy is known


@dataclass(frozen=True, slots=True)
class Match:
    path: KeyPath
    k: int  # how many leading sort parts are fixed by equality
    full: bool  # the equality fixes the whole key


def match_path(need: Need, path: KeyPath) -> Match | None:
    eq = list(need.eq)
    fixed = set(path.partition.parts)
    if not fixed <= set(eq) or (not fixed and eq):
        return None  # a constant partition serves only patterns without equality
    rest = [c for c in eq if c not in fixed]
    sort = path.sort.parts
    # Leading sort parts bound by the equality (a part may repeat a partition part: an entity in its own
    # partition repeats its key in the sort key); the other equality parts must all be among them.
    k = 0
    while k < len(sort) and sort[k] in eq:
        k += 1
    if not set(rest) <= set(sort[:k]):
        return None
    own_tag_at = path.sort.literals[-1][0] if path.sort.literals else 0
    if k < own_tag_at:
        return None  # a prefix before a nested member's own tag would also select its ancestors' items
    full = k == len(sort)
    terms = [p for p, _ in need.order]
    if len({d for _, d in need.order}) > 1:
        return None  # DynamoDB can only read a sort key forwards or backwards as a whole
    if need.range is not None:
        if full or sort[k] != need.range:
            return None
        if terms and terms[0] != need.range:
            return None
    if terms and not full and tuple(sort[k : k + len(terms)]) != tuple(terms):
        return None
    return Match(path, k, full)


def add_gsi_path(
    paths: list[KeyPath],
    entity: Entity,
    prefix: str,
    partition: list[str],
    sort_prefix: str,
    sort: list[str],
    rules: DynamoRules,
    rule: str,
    shards: int = 1,
    tenant_column: str | None = None,
) -> KeyPath:
    used = {p.index for p in paths}
    n = 1
    while rules.gsi_names(n)[0] in used:
        n += 1
    name, pk_attr, sk_attr = rules.gsi_names(n)
    key = KeyTemplate(pk_attr, prefix, tuple(partition), shards=shards)
    if tenant_column is not None:  # the tenant leads every partition key, GSIs included
        key = lead(key, tenant_column)
        sort = [c for c in sort if c != tenant_column]
    path = KeyPath(entity.key, name, key, KeyTemplate(sk_attr, sort_prefix, tuple(sort)), rule)
    paths.append(path)
    return path


class Names:
    """ExpressionAttributeNames: a name that is reserved or not a plain identifier becomes `#n<i>`."""

    def __init__(self, rules: DynamoRules) -> None:
        self.rules = rules
        self.used: dict[str, str] = {}

    def __call__(self, name: str) -> str:
        if not self.rules.needs_placeholder(name):
            return name
        token = self.used.setdefault(name, f"#n{len(self.used)}")
        return token

    def pairs(self) -> tuple[tuple[str, str], ...]:
        return tuple((token, name) for name, token in self.used.items())


def bind(
    placeholder: str, template: KeyTemplate, fixed: list[tuple[str, str]], trailing: bool = False, suffix: str = ""
) -> ValueBinding:
    """The value of `template` with its leading parts bound to `fixed` ((column, role) pairs); literals
    are included up to the first unbound part, the write-shard suffix as a `shard` part."""
    parts: list[tuple[str, str]] = []
    bound = 0
    for kind, value in template.pieces()[1:]:
        if kind == "shard":
            parts.append(("", "shard"))
        elif kind == "lit":
            parts.append((value, "lit"))
        elif bound < len(fixed):
            parts.append(fixed[bound])
            bound += 1
        else:
            break
    if bound < len(template.parts) and parts and parts[-1][1] == "lit" and not trailing:
        parts.pop()  # a literal after the last bound part only belongs to a prefix (begins_with)
    return ValueBinding(placeholder, template.prefix, tuple(parts), suffix, trailing)


def flag(
    need: Need, entity_key: str, table: str | None, reason: str, sink: DiagnosticSink, operation: str = "Scan"
) -> PatternPlan:
    pattern = need.pattern
    # An error, not a warning: the design does not serve the workload, and `translate` must say so by its exit status.
    sink.error(
        "dynamodb-unserved-pattern",
        f"access pattern {inert(pattern.id)} "
        f"({inert(pattern.description or pattern.entity)}) cannot be one GetItem/Query ({operation}): "
        f"{inert(reason)}",
        subject=pattern.id,
    )
    return PatternPlan(
        pattern.id,
        entity_key,
        str(pattern.kind),
        table,
        None,
        operation,
        None,
        None,
        (),
        (),
        not need.descending,
        pattern.limit,
        (entity_key, *pattern.with_),
        True,
        reason,
        "flagged",
        pattern.assumed,
    )
