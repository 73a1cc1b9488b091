"""One compiled pass per chunk: generate key columns, hash them with Murmur3, find the vnode range, count.

The generic streaming path materializes each chunk (group codes, row ids, a stacked key matrix, the
nodes per row) and counts with NumPy afterwards; that is six or seven passes over memory per row. When
every key column is a pure function of (group code, row index) -- the tenant, a serial id, an insert
time -- nothing needs to exist in memory: rows of a chunk are laid out group after group (as
`data.iter_chunks` does without shuffling), so the kernel walks the group offsets, derives each
column on the fly and counts straight into per-block histograms. The counts equal the generic path's
exactly (tests/simulator/test_fused.py compares them).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from simulator._blocks import run_blocks
from simulator._murmur3 import (
    _ADD1,
    _ADD2,
    _FIVE,
    _bswap64,
    _columns_token,
    _finish,
    _pieces,
    _rotl,
    _scramble_k1,
    _scramble_k2,
    _sign_fill,
    _token_short_int,
)

__all__ = [
    "SOURCE_GROUP",
    "SOURCE_ROW",
    "SOURCE_TIME",
    "LAYOUT_GENERIC",
    "LAYOUT_ONE8",
    "LAYOUT_TWO8",
    "token_two8",
    "ring_count_chunk",
    "group_offsets",
]

#: Where a key column's value comes from: the row's group code, its global row index, its insert time.
SOURCE_GROUP, SOURCE_ROW, SOURCE_TIME = 0, 1, 2
#: Key shapes with a specialised hash: any layout, one 8-byte column, a composite of two 8-byte columns.
LAYOUT_GENERIC, LAYOUT_ONE8, LAYOUT_TWO8 = 0, 1, 2

_LEN8_PREFIX = np.uint64(0x0800)
_BATCH = 1024  # uint16 length 8, big-endian, read little-endian


@njit(inline="always", cache=True)
def _two8_first(a):
    """h1 after the first block's k1 half: it depends on the first value only (h2 is still 0)."""
    k1 = _LEN8_PREFIX | (_bswap64(np.uint64(a)) << np.uint64(16))
    h1 = _rotl(_scramble_k1(k1), 27)
    return h1 * _FIVE + _ADD1


@njit(inline="always", cache=True)
def _two8_second(h1, a, b):
    """h2 after the block: its k2 half holds `a`'s last two bytes and `b`'s first three (b >> 40)."""
    wa = _bswap64(np.uint64(a))
    wb = _bswap64(np.uint64(b))
    k2 = (wa >> np.uint64(48)) | (np.uint64(0x08) << np.uint64(32)) | (wb << np.uint64(40))
    h2 = _rotl(_scramble_k2(k2), 31)
    h2 += h1
    return h2 * _FIVE + _ADD2


@njit(inline="always", cache=True)
def _two8_tail(h1, h2, b):
    """The 6-byte tail (`b`'s last five bytes and the 0x00 end) and the finalization."""
    h1 ^= _scramble_k1(_sign_fill(_bswap64(np.uint64(b)) >> np.uint64(24)))
    return _finish(h1, h2, 22)


@njit(inline="always", cache=True)
def _two8_rest(h1, a, b):
    return _two8_tail(h1, _two8_second(h1, a, b), b)


@njit(inline="always", cache=True)
def token_two8(a, b):
    """Token of the composite key (bigint a, bigint b): <00 08><a BE><00><00 08><b BE><00>, 22 bytes.

    Bytes 0..15 are one MurmurHash3 block, 16..21 the tail; each 8-byte word is those bytes read
    little-endian, so a big-endian value becomes its byte swap. The block's k1 half holds only `a`'s
    first six bytes, so `_two8_first(a)` can be computed once for a run of rows sharing `a`, and
    `_two8_second` once for rows that also share `b >> 40`.
    """
    return _two8_rest(_two8_first(a), a, b)


@njit(cache=True)
def group_offsets(part):
    """Where each group's run of rows starts in a chunk laid out group after group (and the end)."""
    offsets = np.zeros(part.shape[0] + 1, np.int64)
    for g in range(part.shape[0]):
        offsets[g + 1] = offsets[g] + part[g]
    return offsets


@njit(nogil=True, cache=True)
def _count_block(
    offsets, lo, hi, start, sources, widths, component_of, composite, layout, ts_start, ts_step,
    ring, table, shift, owners, group_slot, range_hist, edge, edge_group,
):
    """Rows [lo, hi) of a chunk: a group wholly inside the block is counted straight into its row of
    `group_slot` (no other block touches it), the block's first and last group into `edge`, merged
    by the caller, so blocks can run on any threads at once. `range_hist` gets rows per ring range."""
    m = sources.shape[0]
    nr = ring.shape[0]
    piece_col, piece_const, piece_len, total = _pieces(m, widths, component_of, composite)
    # Tokens are computed a batch at a time in loops free of the ring's data-dependent scan, so
    # LLVM vectorizes the hash; the lookup and counting follow over the batch.
    cols = np.empty((m, _BATCH), np.int64)
    toks = np.empty(_BATCH, np.int64)
    local = np.zeros(group_slot.shape[1], np.int64)
    run_ranges = np.zeros(nr, np.int64)
    g = np.searchsorted(offsets, lo, side="right") - 1
    first_g = g
    tenant_then_row = layout == LAYOUT_TWO8 and sources[0] == SOURCE_GROUP and sources[1] == SOURCE_ROW
    i = lo
    while i < hi:
        end = min(hi, offsets[g + 1])
        h1_tenant = _two8_first(g)
        # A long run counts per ring range only and maps ranges to nodes once at its end; a short
        # run (fewer rows than ranges) counts both per row, so many small tenants cost no more.
        per_range = end - i >= nr
        for q0 in range(i, end, _BATCH):
            cnt = min(_BATCH, end - q0)
            r0 = start + q0
            if tenant_then_row:  # the common (tenant_id, id) key: the tenant's half of the hash once per run
                if (r0 >> 40) == ((r0 + cnt - 1) >> 40):
                    # Serial ids of a batch share their top three bytes, hence the whole block's h2.
                    h2_batch = _two8_second(h1_tenant, g, r0)
                    for q in range(cnt):
                        toks[q] = _two8_tail(h1_tenant, h2_batch, r0 + q)
                else:
                    for q in range(cnt):
                        toks[q] = _two8_rest(h1_tenant, g, r0 + q)
            else:
                for c in range(m):
                    src = sources[c]
                    if src == SOURCE_GROUP:
                        for q in range(cnt):
                            cols[c, q] = g
                    elif src == SOURCE_ROW:
                        for q in range(cnt):
                            cols[c, q] = r0 + q
                    else:
                        # Same arithmetic as Dataset.ts_ms: float64 product truncated toward zero.
                        for q in range(cnt):
                            cols[c, q] = ts_start + np.int64(np.float64(r0 + q) * ts_step)
                if layout == LAYOUT_TWO8:
                    for q in range(cnt):
                        toks[q] = token_two8(cols[0, q], cols[1, q])
                elif layout == LAYOUT_ONE8:
                    for q in range(cnt):
                        toks[q] = _token_short_int(np.uint64(cols[0, q]), 8)
                else:
                    for q in range(cnt):
                        toks[q] = _columns_token(cols, q, piece_col, piece_const, piece_len, total)
            for q in range(cnt):
                k = toks[q]
                j = table[(np.uint64(k) ^ np.uint64(0x8000000000000000)) >> np.uint64(shift)]
                while j < nr and ring[j] < k:
                    j += 1
                if j == nr:
                    j = 0
                if per_range:
                    run_ranges[j] += 1
                else:
                    range_hist[j] += 1
                    local[owners[j]] += 1
        if per_range:
            for j in range(nr):
                c = run_ranges[j]
                range_hist[j] += c
                local[owners[j]] += c
                run_ranges[j] = 0
        if g == first_g:
            edge[0, :] = local
            edge_group[0] = g
        elif end == hi:
            edge[1, :] = local
            edge_group[1] = g
        else:
            group_slot[g, :] += local
        local[:] = 0
        i = end
        g += 1


def ring_count_chunk(
    part, start, sources, widths, component_of, composite, layout, ts_start, ts_step,
    ring, table, shift, owners, group_slot, nblk,
) -> np.ndarray:
    """Count one chunk's rows per (group, owner node) into `group_slot` and return rows per ring range.

    Row i of the chunk belongs to the group whose run [offset[g], offset[g+1]) holds it and has global
    index `start + i`. The chunk is cut into `nblk` blocks handed to a thread pool as threads come
    free (the kernel releases the GIL): on a shared machine a static split waits for its slowest
    thread, a queue of small blocks does not.
    """
    offsets = group_offsets(np.ascontiguousarray(part, dtype=np.int64))
    n = int(offsets[-1])
    nblk = max(1, min(nblk, n))
    range_hist = np.zeros((nblk, ring.shape[0]), np.int64)
    edge = np.zeros((nblk, 2, group_slot.shape[1]), np.int64)
    edge_group = np.full((nblk, 2), -1, np.int64)
    fixed = (
        start,
        sources,
        widths,
        component_of,
        composite,
        layout,
        ts_start,
        ts_step,
        ring,
        table,
        shift,
        owners,
        group_slot,
    )

    def run(b: int) -> None:
        lo, hi = b * n // nblk, (b + 1) * n // nblk
        if lo < hi:
            _count_block(offsets, lo, hi, *fixed, range_hist[b], edge[b], edge_group[b])

    run_blocks(run, nblk)
    for b in range(nblk):
        for e in range(2):
            if edge_group[b, e] >= 0:
                group_slot[edge_group[b, e], :] += edge[b, e, :]
    return range_hist.sum(axis=0)
