"""What every Cassandra design must show for its read patterns (shared by the sample and corpus tests)."""

from __future__ import annotations


def assert_served(design, workload) -> None:
    """Every read pattern: one table serves it, the table says so, and it reads one partition or IN over buckets."""
    for pattern in (p for p in workload.access_patterns if p.is_read):
        serving = [t for t in design.tables if pattern.id in t.serves]
        assert len(serving) == 1, f"{pattern.id} served by {[t.name for t in serving]}"
        plan = design.read(pattern.id)
        assert plan.table == serving[0].name
        if plan.partitions == "in-buckets":
            bucketing = serving[0].bucketing
            assert bucketing and bucketing.kind in ("hash", "time") and bucketing.decision
            assert [p.op for p in plan.predicates if p.column == bucketing.column] == ["IN"]
            assert " IN " in plan.query
        else:
            assert plan.partitions == "single"
            for column in serving[0].partition_key:
                assert f"{column} = " in plan.query or f'"{column}" = ' in plan.query
