"""Tenant isolation without row-level security (issue 15): partition keys lead with the tenant, patterns that
do not fix it are flagged, and the keyspace-per-tenant vs shared-table choice is stated with its costs.

Cassandra has no row-level security: a role is granted a whole keyspace or table
(https://cassandra.apache.org/doc/latest/cassandra/developing/cql/security.html). So a PostgreSQL policy such
as `USING (tenant_id = current_setting('app.tenant_id'))` is replaced by a partition key that holds the
tenant (every query names one tenant's partitions), enforced by the application, or by one keyspace per
tenant with a role per keyspace.
"""

from __future__ import annotations

from dataclasses import replace

from translator.diagnostics import DiagnosticSink
from translator.ir import Schema
from translator.targets.cassandra.model import Decision, Isolation, ReadPlan, Table
from translator.targets.cassandra.shapes import Ref, Shape
from translator.tenancy import Tenancy
from translator.workload.model import Workload

__all__ = ["lead_with_tenant", "isolation", "MAX_TABLES_PER_CLUSTER"]

#: Cassandra warns past 150 tables per cluster (cassandra.yaml `table_count_warn_threshold`, 4.1+; the
#: DataStax guidance is to stay below 200): one keyspace per tenant multiplies the design's tables by the tenants.
MAX_TABLES_PER_CLUSTER = 150


def lead_with_tenant(schema: Schema, shape: Shape, tenancy: Tenancy) -> Shape:
    """With a known tenant, the pattern's partition key holds it: first among the equality attributes, and
    required in the partition key. An admin pattern is left as written."""
    column = tenancy.column(shape.entity.key) if tenancy.known else None
    if column is None or shape.pattern.admin:
        return shape
    tenant = Ref(shape.entity.key, column.attribute)
    equality = (tenant, *(r for r in shape.equality if r.key != tenant.key))
    order = tuple(o for o in shape.order if o[0].key != tenant.key)
    return replace(shape, equality=equality, order=order, required=(tenant,))


def isolation(
    schema: Schema,
    workload: Workload,
    tenancy: Tenancy,
    tables: list[Table],
    reads: list[ReadPlan],
    sink: DiagnosticSink,
) -> Isolation | None:
    if not tenancy.known:
        return None
    columns = []
    for table in tables:
        tenant = tenancy.column(table.entity)
        if tenant is None:
            continue
        name = next(
            (c.name for c in table.columns if c.entity == table.entity and c.attribute == tenant.attribute), None
        )
        if name is not None:
            columns.append((table.name, name))
    read_patterns = [p for p in workload.access_patterns if p.is_read]
    crossing = [p.id for p in read_patterns if tenancy.crosses_tenants(p)]
    for pattern in read_patterns:
        if pattern.id in crossing:
            column = tenancy.column(pattern.entity) or next(
                (c for c in tenancy.columns if c.entity in {*pattern.with_, *(r.entity for r in pattern.equality)}),
                None,
            )
            where = f" (no equality on {column.entity}.{column.attribute})" if column else ""
            bypass = f"; it bypasses policy {', '.join(column.policies)}" if column and column.policies else ""
            sink.warning(
                "crosses-tenants",
                f"pattern {pattern.id} does not fix the tenant{where}, so it reads across "
                f"tenants{bypass}; its table is keyed by the tenant, so the application must pass one (mark "
                "the pattern admin: true if it must read every tenant)",
                subject=pattern.id,
            )
    for pattern in read_patterns:
        if pattern.admin and tenancy.column(pattern.entity) and not tenancy.fixes_tenant(pattern):
            sink.info(
                "cassandra-admin-crosses-tenants",
                f"pattern {pattern.id} reads across tenants (admin pattern); its table is not keyed by the tenant",
                subject=pattern.id,
            )
    by_table = dict(columns)
    for tenant in tenancy.columns:
        held = [t.name for t in tables if t.entity == tenant.entity and t.name in by_table]
        for policy in tenant.policies:
            sink.info(
                "cassandra-policy-replaced",
                f"row-level security policy {policy} on {tenant.entity} is replaced "
                f"by partition keys that lead with {tenant.attribute} ({', '.join(held) or 'no table'}); "
                "Cassandra has no row-level security, so the application must name the tenant in every query",
                subject=tenant.entity,
            )
    n_tables = len(tables)
    decisions = (
        Decision(
            "tenant isolation",
            "partition key per tenant",
            "TN-no-rls",
            "Cassandra has no row-level security (permissions apply to whole keyspaces and tables): the tenant "
            "leads every partition key and the application must bind it in every query",
            (("tables", n_tables),),
            ("tenant",) if any(c.assumed for c in tenancy.columns) else (),
        ),
        Decision(
            "tenant isolation",
            "shared tables",
            "TN-keyspace-per-tenant",
            f"one keyspace per tenant would let a role per keyspace enforce isolation, but costs {n_tables} tables "
            f"per tenant against a cluster budget of about {MAX_TABLES_PER_CLUSTER} tables (each table holds "
            "memtable memory on every node) and a repair per keyspace; keep shared tables, and give a keyspace "
            f"of its own only to the few largest tenants (at most {MAX_TABLES_PER_CLUSTER // max(1, n_tables)} "
            "keyspaces of this design)",
            (("tables_per_keyspace", n_tables), ("table_count_warn_threshold", MAX_TABLES_PER_CLUSTER)),
        ),
    )
    return Isolation(tuple(columns), tuple(crossing), decisions)
