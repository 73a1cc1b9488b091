"""Names: entity tags (key prefixes), table names DynamoDB accepts, and item attribute names per column."""

from __future__ import annotations

import hashlib
import re

from translator.diagnostics import DiagnosticSink
from translator.ir import Entity, Schema
from translator.targets.common import unique_name
from translator.targets.dynamodb.mapping import DynamoRules
from translator.targets.dynamodb.model import AttributeMapping
from translator.targets.dynamodb.quoting import inert

__all__ = ["entity_tags", "sanitize_table_name", "plan_attributes"]


def entity_tags(schema: Schema) -> dict[str, str]:
    """Entity key -> unique upper-case tag used as key prefix (`CUSTOMER`)."""
    tags: dict[str, str] = {}
    for entity in schema.entities:
        base = re.sub(r"[^A-Z0-9_]", "_", entity.name.upper()) or "ENTITY"
        tags[entity.key] = unique_name(base, tags.values())
    return tags


def sanitize_table_name(name: str, rules: DynamoRules, sink: DiagnosticSink, what: str) -> str:
    """A table name DynamoDB accepts; a renamed one is reported with the rule it broke."""
    if re.fullmatch(rules.naming["table_name_pattern"], name):
        return name
    fixed = re.sub(r"[^A-Za-z0-9_.-]", "_", name)[: rules.naming["table_name_max"]]
    fixed = fixed.ljust(rules.naming["table_name_min"], "_")
    sink.warning(
        "dynamodb-renamed",
        f"{what} {inert(name)!r} breaks DynamoDB's table naming rule "
        f"({rules.naming['table_name_pattern']}); renamed to {fixed!r}",
        subject=name,
    )
    return fixed


def plan_attributes(
    entity: Entity, rules: DynamoRules, taken: set[str], sink: DiagnosticSink
) -> tuple[AttributeMapping, ...]:
    """Item attribute per column; a name that collides with a design attribute or breaks a rule is renamed."""
    gsi_pattern = re.compile(
        "^("
        + "|".join(re.escape(rules.naming[k]).replace(r"\{n\}", r"\d+") for k in ("gsi_partition", "gsi_sort"))
        + ")$"
    )
    max_bytes = rules.naming["attribute_name_max_bytes"]
    out: list[AttributeMapping] = []
    used: set[str] = set()
    for attribute in entity.attributes:
        name, why = attribute.name, None
        if name in taken or gsi_pattern.match(name):
            why = "collides with a key or type attribute of the design"
            name = f"{name}_"
        if any(name.startswith(p) for p in rules.naming["reserved_attribute_prefixes"]):
            why = "starts with a prefix DynamoDB reserves"
            name = "x_" + name.replace(":", "_")
        if len(name.encode("utf-8")) > max_bytes:
            why = f"is longer than {max_bytes} bytes"
            digest = hashlib.sha1(name.encode("utf-8")).hexdigest()[:8]
            name = name.encode("utf-8")[: max_bytes - 9].decode("utf-8", "ignore") + "_" + digest
        while name in used or name in taken:
            name += "_"
        if why:
            sink.warning(
                "dynamodb-renamed",
                f"{inert(entity.key)}.{inert(attribute.name)} {why}; stored as attribute {inert(name)!r}",
                subject=f"{entity.key}.{attribute.name}",
            )
        used.add(name)
        out.append(AttributeMapping(attribute.name, name, rules.attribute_types[attribute.type.kind], why))
    return tuple(out)
