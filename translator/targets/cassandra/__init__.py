"""Cassandra target: query-first tables (Chebotko mapping rules), partition sizing and bucketing, CQL out.

    from translator.targets.cassandra import TARGET, rows_to_tables, check_pattern
    design = TARGET.design(schema, workload, keyspace="shop", replication="dc1:3")
    print(TARGET.render(design, "cql"))
"""

from __future__ import annotations

from typing import Any, ClassVar

from translator.ir import Schema
from translator.targets.base import Target, TargetOption
from translator.targets.cassandra.cql import render_cql
from translator.targets.cassandra.design import build_design, parse_replication
from translator.targets.cassandra.model import CassandraDesign
from translator.targets.cassandra.render import render_human
from translator.targets.cassandra.rows import TableData, check_pattern, rows_to_tables
from translator.targets.cassandra.summaries import key_candidates, serving, size_checks
from translator.targets.record import KeyCandidate, PatternServing, SizeCheck
from translator.tenancy import Tenancy
from translator.workload.model import Workload

__all__ = ["TARGET", "CassandraTarget", "CassandraDesign", "build_design", "parse_replication", "rows_to_tables",
           "check_pattern", "TableData"]


class CassandraTarget(Target):
    name: ClassVar[str] = "cassandra"
    formats: ClassVar[tuple[str, ...]] = ("cql",)
    artifact: ClassVar[tuple[str, str] | None] = ("cassandra.cql", "cql")
    options: ClassVar[tuple[TargetOption, ...]] = (
        TargetOption("keyspace", "Cassandra keyspace name (default: the first source file's name)."),
        TargetOption("replication", "Cassandra replication as DC:FACTOR[,DC:FACTOR...] with NetworkTopologyStrategy "
                     "(default dc1:3)."),
    )

    def build(self, schema: Schema, workload: Workload, tenancy: Tenancy, **options: Any) -> CassandraDesign:
        return build_design(schema, workload, tenancy, keyspace=options.get("keyspace"),
                            replication=options.get("replication"))

    def key_candidates(self, design: CassandraDesign) -> tuple[KeyCandidate, ...]:
        return key_candidates(design)

    def serving(self, design: CassandraDesign) -> tuple[PatternServing, ...]:
        return serving(design)

    def size_checks(self, design: CassandraDesign) -> tuple[SizeCheck, ...]:
        return size_checks(design)

    def render_human(self, design: CassandraDesign) -> str:
        return render_human(design)

    def render_cql(self, design: CassandraDesign) -> str:
        return render_cql(design)


TARGET = CassandraTarget()
