"""Citus distributes bigints by PostgreSQL's hashint8: checked against a live server."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.pghash import pg_hashint8
from tests.live import require_postgres

pytestmark = pytest.mark.live


@pytest.fixture(scope="module")
def pg():
    import psycopg

    params = require_postgres()  # skips when unreachable; fails under POLYSCHEMA_REQUIRE_LIVE=1
    conn = psycopg.connect(dbname="postgres", connect_timeout=3, **params)
    yield conn
    conn.close()


@settings(max_examples=20, deadline=None)
@given(st.lists(st.integers(-(2**63), 2**63 - 1), min_size=1, max_size=50))
def test_hashint8_matches_postgres(pg, values):
    rows = pg.execute("SELECT hashint8(v) FROM unnest(%s::bigint[]) AS v", (values,)).fetchall()
    assert pg_hashint8(np.array(values, dtype=np.int64)).tolist() == [r[0] for r in rows]
