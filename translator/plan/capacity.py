"""Capacity and monthly cost from a design's demand and the pricing rules, one model per pricing style.

A target's table in the pricing file names its model (`capacity_model`); this module dispatches on that
name, so there is no per-target code here: DynamoDB-like request pricing, node-based clusters and shard-based
clusters are three arithmetic styles, and a new store picks one in data.

Each result lists its figures with the inputs they rest on (`assumptions`), so the report can put them
beside the cost they drive.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Demand", "Capacity", "CAPACITY_MODELS", "estimate"]


@dataclass(frozen=True, slots=True)
class Demand:
    """What the workload asks of one design.

    reads: (rate/s, requests per execution, bytes read per request, partitions per request) per read
    pattern; writes: (rate/s, items written per execution, bytes per item) per write pattern; data_bytes:
    the stored bytes before the store's overhead (denormalized copies included); items: stored items.
    """

    reads: tuple[tuple[float, float, float, float], ...]
    writes: tuple[tuple[float, float, float], ...]
    data_bytes: float
    items: float
    assumptions: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Capacity:
    model: str
    units: int  # machines or partitions: the count handed to the simulator as its placement
    unit_name: str
    monthly_total: float
    monthly: dict[str, float] = field(default_factory=dict)  # cost lines
    figures: dict[str, float] = field(default_factory=dict)  # the arithmetic's intermediate numbers
    assumptions: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"model": self.model, "units": self.units, "unit_name": self.unit_name,
                "monthly_total": round(self.monthly_total, 4),
                "monthly": {k: round(v, 4) for k, v in self.monthly.items()},
                "figures": {k: round(v, 4) for k, v in self.figures.items()},
                "assumptions": list(self.assumptions)}


@dataclass(frozen=True, slots=True)
class CapacityModel:
    needs: tuple[str, ...]  # the positive numbers the model reads from its pricing table
    run: Callable[[Demand, dict[str, Any], float], Capacity]


GB = 1e9


def _for_ops(demand: Demand, writes: float, per_unit: float) -> tuple[int, float, float, str | None]:
    """Machines for the operations: targeted reads and writes spread over the machines, but a scatter-gather
    read (`partitions` infinite) lands on every machine, so each carries all of them. Returns (count, the
    spread operations, the everywhere operations, a warning when scatter-gather reads alone exceed one
    machine)."""
    spread = writes + sum(rate * requests * partitions for rate, requests, _, partitions in demand.reads
                          if math.isfinite(partitions))
    everywhere = sum(rate * requests for rate, requests, _, partitions in demand.reads if not math.isfinite(partitions))
    if everywhere >= per_unit:
        count = max(1, math.ceil(spread / per_unit))
        return count, spread, everywhere, (
            f"scatter-gather reads alone ({everywhere:,.0f}/s) exceed one machine's {per_unit:,.0f}/s: adding "
            "machines does not help; index or key the pattern")
    count = max(1, math.ceil(spread / (per_unit - everywhere)))
    return count, spread, everywhere, None


def request_units(demand: Demand, rules: dict[str, Any], hours: float) -> Capacity:
    """DynamoDB-style: request units per second from sizes, priced on demand and provisioned; storage."""
    seconds = hours * 3600
    read_units = sum(rate * requests * math.ceil(max(size, 1) / rules["read_unit_bytes"])
                     * rules["eventually_consistent_factor"] for rate, requests, size, _ in demand.reads)
    write_units = sum(rate * items * math.ceil(max(size, 1) / rules["write_unit_bytes"])
                      for rate, items, size in demand.writes)
    storage_gb = demand.data_bytes / GB
    on_demand_reads = read_units * seconds / 1e6 * rules["on_demand_per_million_reads"]
    on_demand_writes = write_units * seconds / 1e6 * rules["on_demand_per_million_writes"]
    storage = storage_gb * rules["storage_per_gb_month"]
    utilization = rules["provisioned_target_utilization"]
    rcu = math.ceil(read_units / utilization) if read_units else 0
    wcu = math.ceil(write_units / utilization) if write_units else 0
    provisioned = rcu * hours * rules["provisioned_per_rcu_hour"] + wcu * hours * rules["provisioned_per_wcu_hour"]
    partitions = max(1, math.ceil(rcu / rules["partition_rcu"] + wcu / rules["partition_wcu"]),
                     math.ceil(storage_gb / rules["partition_gb"]))
    monthly = {"on_demand_reads": on_demand_reads, "on_demand_writes": on_demand_writes, "storage": storage,
               "on_demand_total": on_demand_reads + on_demand_writes + storage,
               "provisioned_throughput": provisioned, "provisioned_total": provisioned + storage}
    figures = {"read_units_per_second": read_units, "write_units_per_second": write_units, "rcu": rcu,
               "wcu": wcu, "storage_gb": storage_gb, "partitions": partitions}
    assumptions = (*demand.assumptions,
                   f"reads eventually consistent ({rules['eventually_consistent_factor']} unit per "
                   f"{rules['read_unit_bytes']} B)",
                   f"provisioned at {utilization:.0%} target utilization",
                   "the monthly total is the cheaper of on-demand and provisioned")
    total = min(monthly["on_demand_total"], monthly["provisioned_total"])
    return Capacity("request_units", partitions, "partitions", total, monthly, figures, assumptions)


def nodes(demand: Demand, rules: dict[str, Any], hours: float) -> Capacity:
    """Cassandra-style: nodes for replicated data at a per-node density, and for replica operations."""
    rf = rules["replication_factor"]
    stored_gb = demand.data_bytes * rf * rules["storage_overhead"] / GB
    for_data = math.ceil(stored_gb / rules["data_per_node_gb"])
    writes = sum(rate * items * rf for rate, items, _ in demand.writes)
    for_ops, spread, everywhere, warning = _for_ops(demand, writes, rules["ops_per_node"])
    count = max(int(rules["min_nodes"]), int(rf), for_data, for_ops)
    per_node = everywhere + spread / count
    cost = count * hours * rules["node_price_per_hour"]
    figures = {"stored_gb": stored_gb, "nodes_for_data": for_data, "replica_ops_per_node": per_node,
               "nodes_for_throughput": for_ops, "nodes": count}
    assumptions = (*demand.assumptions, f"replication factor {rf}",
                   f"{rules['data_per_node_gb']} GB of data per node, x{rules['storage_overhead']} on disk",
                   f"{rules['ops_per_node']:,} replica operations/s per node; reads at consistency ONE",
                   *([warning] if warning else []))
    return Capacity("nodes", count, "nodes", cost, {"nodes": cost}, figures, assumptions)


def shards(demand: Demand, rules: dict[str, Any], hours: float) -> Capacity:
    """MongoDB-style: shards for data size, for the working set in cache, and for operations."""
    data_gb = demand.data_bytes * rules["storage_overhead"] / GB
    for_data = math.ceil(data_gb / rules["data_per_shard_gb"])
    working_set_gb = data_gb * (rules["working_set_fraction"] + rules["index_fraction"])
    for_cache = math.ceil(working_set_gb / (rules["ram_per_shard_gb"] * rules["cache_fraction"]))
    writes = sum(rate * items for rate, items, _ in demand.writes)
    for_ops, spread, everywhere, warning = _for_ops(demand, writes, rules["ops_per_shard"])
    count = max(int(rules["min_shards"]), for_data, for_cache, for_ops)
    per_shard = everywhere + spread / count
    cost = count * hours * rules["shard_price_per_hour"]
    figures = {"data_gb": data_gb, "shards_for_data": for_data, "working_set_gb": working_set_gb,
               "shards_for_working_set": for_cache, "operations_per_shard": per_shard,
               "shards_for_throughput": for_ops, "shards": count}
    assumptions = (*demand.assumptions,
                   f"{rules['data_per_shard_gb']} GB of data and {rules['ram_per_shard_gb']} GB RAM per shard",
                   f"working set {rules['working_set_fraction']:.0%} of the data plus indexes at "
                   f"{rules['index_fraction']:.0%}",
                   f"{rules['ops_per_shard']:,} operations/s per shard; a scatter-gather read costs one on every shard",
                   *([warning] if warning else []))
    return Capacity("shards", count, "shards", cost, {"shards": cost}, figures, assumptions)


CAPACITY_MODELS: dict[str, CapacityModel] = {
    "request_units": CapacityModel(
        ("on_demand_per_million_reads", "on_demand_per_million_writes", "provisioned_per_rcu_hour",
         "provisioned_per_wcu_hour", "storage_per_gb_month", "read_unit_bytes", "write_unit_bytes",
         "eventually_consistent_factor", "provisioned_target_utilization", "partition_rcu", "partition_wcu",
         "partition_gb"), request_units),
    "nodes": CapacityModel(("replication_factor", "data_per_node_gb", "storage_overhead", "ops_per_node",
                            "min_nodes", "node_price_per_hour"), nodes),
    "shards": CapacityModel(("data_per_shard_gb", "ram_per_shard_gb", "cache_fraction", "working_set_fraction",
                             "index_fraction", "storage_overhead", "ops_per_shard", "min_shards",
                             "shard_price_per_hour"), shards),
}


def estimate(demand: Demand, rules: dict[str, Any], hours_per_month: float) -> Capacity:
    """Run the model the target's pricing table names."""
    return CAPACITY_MODELS[rules["capacity_model"]].run(demand, rules, hours_per_month)
