"""Store models, registered by name: importing this package registers every store."""

from simulator.stores import cassandra, citus, dynamodb, mongodb  # noqa: F401 - registration
from simulator.stores.base import STORES, KeyLoad, StoreConfig, StoreModel, StoreOutcome, sample_scale, store_model

__all__ = ["STORES", "KeyLoad", "StoreConfig", "StoreModel", "StoreOutcome", "sample_scale", "store_model"]
