"""Cassandra target: query-first tables (Chebotko mapping rules), partition sizing and bucketing, CQL out.

    from translator.targets.cassandra import TARGET, rows_to_tables, check_pattern
    design = TARGET.design(schema, workload, keyspace="shop", replication="dc1:3")
    print(TARGET.render(design, "cql"))
"""

from __future__ import annotations

from typing import Any, ClassVar

from translator.ir import Schema
from translator.targets.base import Target, TargetOption
from translator.workload.model import Workload
from translator.targets.cassandra.cql import render_cql
from translator.targets.cassandra.design import design, parse_replication
from translator.targets.cassandra.model import CassandraDesign
from translator.targets.cassandra.render import render_human
from translator.targets.cassandra.rows import TableData, check_pattern, rows_to_tables

__all__ = ["TARGET", "CassandraTarget", "CassandraDesign", "design", "parse_replication", "rows_to_tables",
           "check_pattern", "TableData"]


class CassandraTarget(Target):
    name: ClassVar[str] = "cassandra"
    formats: ClassVar[tuple[str, ...]] = ("cql",)
    options: ClassVar[tuple[TargetOption, ...]] = (
        TargetOption("keyspace", "Cassandra keyspace name (default: the first source file's name)."),
        TargetOption("replication", "Cassandra replication as DC:FACTOR[,DC:FACTOR...] with NetworkTopologyStrategy "
                     "(default dc1:3)."),
    )

    def design(self, schema: Schema, workload: Workload, **options: Any) -> CassandraDesign:
        return design(schema, workload, keyspace=options.get("keyspace"), replication=options.get("replication"))

    def render_human(self, design: CassandraDesign) -> str:  # type: ignore[override]
        return render_human(design)

    def render_cql(self, design: CassandraDesign) -> str:
        return render_cql(design)


TARGET = CassandraTarget()
