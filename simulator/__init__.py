"""Shard-key simulator (see docs/simulator.md).

Public entry points live in submodules so that importing one does not load numba for the others:
`simulator.hashing` (cassandra_token, mongodb_hash), `simulator.engine` (simulate, rank),
`simulator.data` (synthetic_dataset, dataset_from_statistics, parse_key), `simulator.generators`,
`simulator.stores` (StoreConfig, STORES), `simulator.metrics`, `simulator.ring`,
`simulator.remedy` (remedy_whales: whale tenants, each store's remedy before/after), `simulator.grow`
(growth reports), `simulator.limits` (store limits from simulator/limits.toml), `simulator.checks`.
"""

__all__: list[str] = []
