"""Canonical types: the one vocabulary every dialect maps into and every target maps out of.

A `CanonicalType` is a kind plus the parameters that matter for that kind. Which source type becomes
which canonical type is data (`mappings/types.toml`), applied by the ingest layer.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from typing import Any

__all__ = ["TypeKind", "CanonicalType"]


class TypeKind(enum.StrEnum):
    INTEGER = "integer"
    DECIMAL = "decimal"
    FLOAT = "float"
    STRING = "string"
    BINARY = "binary"
    BOOLEAN = "boolean"
    DATE = "date"
    TIME = "time"
    TIMESTAMP = "timestamp"
    INTERVAL = "interval"
    UUID = "uuid"
    JSON = "json"
    ARRAY = "array"
    ENUM = "enum"
    SPATIAL = "spatial"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class CanonicalType:
    """A canonical type with its parameters.

    - integer: `bits` (8, 16, 32, 64; None = unbounded/unknown)
    - float: `bits` (32 or 64)
    - decimal: `precision`, `scale` (None = unconstrained)
    - string / binary: `length` (None = unbounded), `fixed` (CHAR/BINARY vs VARCHAR/VARBINARY)
    - time / timestamp: `with_timezone`
    - array: `element`
    - enum: `values` (in declaration order), `name` of a named enum type if any
    - spatial: `name` (geometry, point, ...)
    - other: `name` is the source type text; kept so nothing is lost
    `source` is the type as written in the source, for reports and round trips.
    """

    kind: TypeKind
    bits: int | None = None
    precision: int | None = None
    scale: int | None = None
    length: int | None = None
    fixed: bool = False
    with_timezone: bool | None = None
    element: CanonicalType | None = None
    values: tuple[str, ...] = ()
    name: str | None = None
    source: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.kind, TypeKind):
            object.__setattr__(self, "kind", TypeKind(self.kind))
        if self.kind is TypeKind.ARRAY and self.element is None:
            raise ValueError("CanonicalType(kind=array) needs element=<CanonicalType>; got element=None")

    # Constructors read better than keyword soup at call sites.
    @classmethod
    def of(cls, kind: str | TypeKind, **params: Any) -> CanonicalType:
        return cls(TypeKind(kind), **params)

    def with_source(self, source: str) -> CanonicalType:
        return replace(self, source=source)

    def to_dict(self) -> dict[str, Any]:
        """JSON form: `canonical` plus only the parameters that are set."""
        out: dict[str, Any] = {"canonical": str(self.kind)}
        for key in ("bits", "precision", "scale", "length", "with_timezone", "name"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        if self.fixed:
            out["fixed"] = True
        if self.element is not None:
            out["element"] = self.element.to_dict()
        if self.values:
            out["values"] = list(self.values)
        if self.source:
            out["source"] = self.source
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CanonicalType:
        element = data.get("element")
        return cls(
            TypeKind(data["canonical"]),
            bits=data.get("bits"),
            precision=data.get("precision"),
            scale=data.get("scale"),
            length=data.get("length"),
            fixed=bool(data.get("fixed", False)),
            with_timezone=data.get("with_timezone"),
            element=cls.from_dict(element) if element else None,
            values=tuple(data.get("values", ())),
            name=data.get("name"),
            source=data.get("source", ""),
        )

    def __str__(self) -> str:
        kind = str(self.kind)
        if self.kind is TypeKind.ARRAY:
            return f"array<{self.element}>"
        if self.kind is TypeKind.DECIMAL and self.precision is not None:
            return f"decimal({self.precision},{self.scale or 0})"
        if self.kind in (TypeKind.INTEGER, TypeKind.FLOAT) and self.bits:
            return f"{kind}{self.bits}"
        if self.kind in (TypeKind.STRING, TypeKind.BINARY) and self.length is not None:
            return f"{kind}({self.length})"
        if self.kind in (TypeKind.TIMESTAMP, TypeKind.TIME) and self.with_timezone:
            return f"{kind} with time zone"
        if self.kind is TypeKind.ENUM:
            return f"enum({', '.join(self.values)})"
        if self.kind in (TypeKind.OTHER, TypeKind.SPATIAL) and self.name:
            return f"{kind}:{self.name}"
        return kind
