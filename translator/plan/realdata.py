"""`plan --sample FRACTION` on a database URL: each design's keys evaluated on the real rows of their
tables (`simulator.realdata.simulate_table`: read-only, streamed) instead of on rows generated from the
statistics. The runs keep their shape, so the report reads them alike; each says where its rows came from.

The simulator is imported inside the function: importing this module costs no numba.
"""

from __future__ import annotations

from translator.plan.simulations import SEED, SimulationRun
from translator.urls import strip_password

__all__ = ["check_fraction", "run_on_table"]


def check_fraction(sample: float) -> float:
    if not 0.0 < sample <= 1.0:
        raise ValueError(f"sample={sample!r} is invalid; give a fraction of the rows in (0, 1], e.g. 0.01")
    return sample


def run_on_table(run: SimulationRun, url: str, sample: float, chunk_rows: int = 4_000_000) -> None:
    """Simulate `run`'s keys on table `run.entity` of the database at `url`; results land on `run`.

    A failure (an empty table, a key column the table lacks) is recorded on the run, as simulator errors
    are for generated rows, and the plan goes on.
    """
    from simulator.engine import Traffic
    from simulator.errors import SimulatorError
    from simulator.realdata import simulate_table
    from simulator.stores import StoreConfig, store_model

    run.data = f"{strip_password(url)} (sample {sample:g})"
    try:
        model = store_model(run.store)
        option = run.placement[0] if run.placement else None
        count = run.placement[1] if run.placement else None
        shards, nodes = model.placement_counts(count if option == "shards" else None,
                                               count if option == "nodes" else None)
        config = StoreConfig(shards=shards, nodes=nodes, reads_per_second=run.reads_per_second,
                             writes_per_second=run.writes_per_second)
        traffic = Traffic(run.reads_per_second, run.writes_per_second, None, None, 0.0, 60.0)
        table = simulate_table(url, run.entity, list(run.keys), run.store, config=config, traffic=traffic,
                               sample=None if sample >= 1.0 else sample, seed=SEED)
    except SimulatorError as exc:
        run.error = str(exc).splitlines()[0]
        return
    run.rows = table.rows_read
    run.results = [r.to_dict() for r in table.results]
    run.ranking = [r.key for r in table.ranked]
