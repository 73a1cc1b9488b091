"""Workload (access patterns with rates) and statistics: what drives every design decision."""

from translator.workload.dump import workload_to_dict
from translator.workload.loader import default_workload, load_workload, parse_workload, statistics_to_dict
from translator.workload.model import (
    AccessPattern,
    AttributeRef,
    AttributeStats,
    Direction,
    EntityStats,
    Hop,
    OrderTerm,
    PatternKind,
    RelationshipStats,
    Statistics,
    Workload,
)
from translator.workload.stats import DEFAULT_FANOUT, DEFAULT_ROWS, StatsView, estimate_row_bytes, estimate_value_bytes

__all__ = [
    "AccessPattern",
    "AttributeRef",
    "Hop",
    "AttributeStats",
    "Direction",
    "EntityStats",
    "OrderTerm",
    "PatternKind",
    "RelationshipStats",
    "Statistics",
    "Workload",
    "StatsView",
    "DEFAULT_ROWS",
    "DEFAULT_FANOUT",
    "estimate_row_bytes",
    "estimate_value_bytes",
    "load_workload",
    "parse_workload",
    "default_workload",
    "statistics_to_dict",
    "workload_to_dict",
]
