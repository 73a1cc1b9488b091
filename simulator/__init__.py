"""Shard-key simulator (see docs/simulator.md)."""
