"""`$jsonSchema` validators from the layout, and a checker for them that runs without a MongoDB server.

MongoDB's `$jsonSchema` is JSON Schema draft 4 plus the `bsonType` keyword (and without `type`
integer/number subtleties). `check_document` validates with the `jsonschema` library's Draft4
validator extended by a `bsonType` keyword that tests the Python values pymongo would encode.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from typing import Any

import jsonschema
from bson.binary import Binary
from bson.decimal128 import Decimal128
from bson.int64 import Int64
from bson.objectid import ObjectId

from translator.targets.mongodb.layout import Copy, FieldMap, IdArray, Layout, Node
from translator.types import TypeKind

__all__ = ["collection_validator", "check_document", "document_errors", "bson_type_of"]


def _scalar_schema(fm: FieldMap, layout: Layout, nullable: bool | None = None) -> dict[str, Any]:
    rule = layout.mapping.rule_for(fm.type, layout.uuid_representation)
    nullable = fm.nullable if nullable is None else nullable
    out: dict[str, Any] = {}
    if rule.bson_type:
        out["bsonType"] = [rule.bson_type, "null"] if nullable else rule.bson_type
    if fm.type.kind is TypeKind.ENUM and fm.type.values:
        out["enum"] = [*fm.type.values, *([None] if nullable else [])]
    if fm.type.kind is TypeKind.STRING and fm.type.length is not None and rule.bson_type == "string":
        out["maxLength"] = fm.type.length
    if fm.type.kind is TypeKind.ARRAY and fm.type.element is not None:
        element = FieldMap(
            fm.attribute,
            fm.field,
            fm.type.element,
            True,
            layout.mapping.rule_for(fm.type.element, layout.uuid_representation),
        )
        out["items"] = _scalar_schema(element, layout)
    if fm.type.kind is TypeKind.UUID and rule.bson_type == "string":
        out["pattern"] = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
    if fm.type.source or fm.type.kind:
        out["description"] = f"{fm.attribute}: {fm.type}" + (f" ({fm.type.source})" if fm.type.source else "")
    return out


def _object(fields: list[tuple[str, dict[str, Any], bool]]) -> dict[str, Any]:
    schema: dict[str, Any] = {"bsonType": "object"}
    required = [name for name, _, req in fields if req]
    if required:
        schema["required"] = required
    schema["properties"] = {name: sub for name, sub, _ in fields}
    return schema


def _id_array(arr: IdArray, layout: Layout) -> dict[str, Any]:
    if arr.scalar:
        items = _scalar_schema(arr.value_types[0], layout, nullable=False)
    else:
        items = _object(
            [
                (name, _scalar_schema(fm, layout), not fm.nullable)
                for name, fm in zip(arr.value_fields, arr.value_types, strict=False)
            ]
            + [(fm.field, _scalar_schema(fm, layout), False) for fm in arr.copies]
        )
    return {
        "bsonType": "array",
        "items": items,
        "description": f"ids in {arr.to_collection} ({arr.style}, {arr.rel.name})",
    }


def _copy(cp: Copy, layout: Layout) -> dict[str, Any]:
    body = _object([(fm.field, _scalar_schema(fm, layout), not fm.nullable) for fm in cp.fields])
    if cp.style == "extended":
        body["description"] = f"copy of {cp.source} fields (extended reference, {cp.rel.name})"
        return body
    return {
        "bsonType": "array",
        "maxItems": cp.limit,
        "items": body,
        "description": f"newest {cp.limit} {cp.source} (subset copy, {cp.rel.name})",
    }


def node_schema(node: Node, layout: Layout) -> dict[str, Any]:
    fields = [(fm.field, _scalar_schema(fm, layout), not fm.nullable or fm.field == "_id") for fm in node.fields]
    for link in node.links:
        sub = node_schema(link.node, layout)
        if link.shape == "array":
            sub = {"bsonType": "array", "items": sub, "description": f"embedded {link.node.entity} ({link.rel.name})"}
        fields.append((link.field, sub, link.shape == "array"))
    fields += [(arr.field, _id_array(arr, layout), True) for arr in node.id_arrays]
    fields += [(cp.field, _copy(cp, layout), False) for cp in node.copies]
    return _object(fields)


def collection_validator(node: Node, layout: Layout) -> dict[str, Any]:
    """`{"$jsonSchema": ...}` for the collection rooted at `node`."""
    return {"$jsonSchema": node_schema(node, layout)}


_INT32 = range(-(2**31), 2**31)


def bson_type_of(value: Any) -> str:
    """The BSON type name pymongo would encode `value` as (subset this project produces)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, Int64):
        return "long"
    if isinstance(value, int):
        return "int" if value in _INT32 else "long"
    if isinstance(value, float):
        return "double"
    if isinstance(value, str):
        return "string"
    if isinstance(value, Decimal128):
        return "decimal"
    if isinstance(value, (bytes, Binary, uuid.UUID)):
        return "binData"
    if isinstance(value, dt.datetime):
        return "date"
    if isinstance(value, ObjectId):
        return "objectId"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, (list, tuple)):
        return "array"
    return type(value).__name__


def _bson_type(validator: Any, wanted: Any, instance: Any, schema: Any) -> Iterator[jsonschema.ValidationError]:
    allowed = [wanted] if isinstance(wanted, str) else list(wanted)
    actual = bson_type_of(instance)
    ok = actual in allowed or ("number" in allowed and actual in ("int", "long", "double", "decimal"))
    if not ok:
        yield jsonschema.ValidationError(f"{instance!r:.60} is BSON {actual}, not {' or '.join(allowed)}")


def _is_array(checker: Any, instance: Any) -> bool:
    return isinstance(instance, (list, tuple))


def _is_object(checker: Any, instance: Any) -> bool:
    return isinstance(instance, dict)


_TYPES = jsonschema.Draft4Validator.TYPE_CHECKER.redefine_many({"array": _is_array, "object": _is_object})
BsonValidator = jsonschema.validators.extend(jsonschema.Draft4Validator, {"bsonType": _bson_type}, type_checker=_TYPES)


def document_errors(document: Any, validator: dict[str, Any]) -> list[str]:
    """Every way `document` breaks `validator` ({"$jsonSchema": ...}), as 'path: message' lines."""
    schema = validator.get("$jsonSchema", validator)
    errors = BsonValidator(schema).iter_errors(document)
    return [f"{'.'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}" for e in errors]


def check_document(document: Any, validator: dict[str, Any]) -> None:
    """Raise `ValueError` listing the problems when `document` does not satisfy `validator`."""
    problems = document_errors(document, validator)
    if problems:
        raise ValueError("document does not validate: " + "; ".join(problems[:5]))
