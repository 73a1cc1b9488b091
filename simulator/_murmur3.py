"""Compiled MurmurHash3 x64_128 (h1 only) exactly as Cassandra's Murmur3Partitioner computes it.

Cassandra reads tail bytes as signed Java bytes, so a tail byte >= 0x80 is sign-extended before it is
shifted into k1/k2; that is the one difference from the reference `mmh3`. All arithmetic is done in
uint64 so overflow wraps exactly like Java's long arithmetic.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from simulator._blocks import run_blocks

__all__ = [
    "murmur3_fixed",
    "murmur3_varlen",
    "murmur3_columns",
    "murmur3_int64",
    "murmur3_int64_into",
    "ring_ranges",
    "ring_route_columns",
]

_C1 = np.uint64(0x87C37B91114253D5)
_C2 = np.uint64(0x4CF5AD432745937F)
_F1 = np.uint64(0xFF51AFD7ED558CCD)
_F2 = np.uint64(0xC4CEB9FE1A85EC53)
_ADD1 = np.uint64(0x52DCE729)
_ADD2 = np.uint64(0x38495AB5)
_FIVE = np.uint64(5)
_SIGN_FILL = np.uint64(0xFFFFFFFFFFFFFF00)
_MIN_LONG = np.int64(-(2**63))
_MAX_LONG = np.int64(2**63 - 1)


@njit(inline="always", cache=True)
def _rotl(x, r):
    return (x << np.uint64(r)) | (x >> np.uint64(64 - r))


@njit(inline="always", cache=True)
def _fmix(k):
    k ^= k >> np.uint64(33)
    k *= _F1
    k ^= k >> np.uint64(33)
    k *= _F2
    k ^= k >> np.uint64(33)
    return k


@njit(inline="always", cache=True)
def _finish(h1, h2, length):
    """MurmurHash3 x64_128's finalization; h1 is the token."""
    h1 ^= np.uint64(length)
    h2 ^= np.uint64(length)
    h1 += h2
    h2 += h1
    h1 = _fmix(h1)
    h2 = _fmix(h2)
    h1 += h2
    token = np.int64(h1)
    # Cassandra reserves Long.MIN_VALUE as the ring's minimum token.
    return token if token != _MIN_LONG else _MAX_LONG


@njit(inline="always", cache=True)
def _signed_byte(b):
    # Java's (long) of a signed byte: bytes >= 0x80 carry ones into the high bits.
    v = np.uint64(b)
    if b >= 128:
        v |= _SIGN_FILL
    return v


@njit(inline="always", cache=True)
def _load_le(buf, pos, count):
    v = np.uint64(0)
    for j in range(count):
        v |= np.uint64(buf[pos + j]) << np.uint64(8 * j)
    return v


@njit(inline="always", cache=True)
def _sign_fill(le):
    # Java's (long) cast of each signed tail byte drags ones above every byte >= 0x80; XORed
    # together those fills are a prefix parity of the bytes' top bits, spread over bytes by * 0xFF.
    t = (le & np.uint64(0x8080808080808080)) << np.uint64(1)
    t ^= t << np.uint64(8)
    t ^= t << np.uint64(16)
    t ^= t << np.uint64(32)
    return le ^ (t * np.uint64(0xFF))


@njit(inline="always", cache=True)
def _scramble_k1(k1):
    """The k1 word's mixing before it is XORed into h1; a full block and the tail use the same one."""
    k1 *= _C1
    k1 = _rotl(k1, 31)
    return k1 * _C2


@njit(inline="always", cache=True)
def _scramble_k2(k2):
    """The k2 word's mixing before it is XORed into h2."""
    k2 *= _C2
    k2 = _rotl(k2, 33)
    return k2 * _C1


@njit(inline="always", cache=True)
def _mix_block(h1, h2, k1, k2):
    h1 ^= _scramble_k1(k1)
    h1 = _rotl(h1, 27)
    h1 += h2
    h1 = h1 * _FIVE + _ADD1
    h2 ^= _scramble_k2(k2)
    h2 = _rotl(h2, 31)
    h2 += h1
    h2 = h2 * _FIVE + _ADD2
    return h1, h2


@njit(cache=True)
def _hash_span(buf, start, length):
    h1 = np.uint64(0)
    h2 = np.uint64(0)
    nblocks = length // 16
    for blk in range(nblocks):
        base = start + blk * 16
        h1, h2 = _mix_block(h1, h2, _load_le(buf, base, 8), _load_le(buf, base + 8, 8))
    tail = start + nblocks * 16
    rem = length & 15
    if rem > 8:
        h2 ^= _scramble_k2(_sign_fill(_load_le(buf, tail + 8, rem - 8)))
    if rem > 0:
        h1 ^= _scramble_k1(_sign_fill(_load_le(buf, tail, min(rem, 8))))
    return _finish(h1, h2, length)


@njit(parallel=True, cache=True)
def murmur3_fixed(rows):
    """Tokens of each row of a (n, width) uint8 array."""
    n, width = rows.shape
    flat = rows.reshape(n * width)
    out = np.empty(n, np.int64)
    for i in prange(n):
        out[i] = _hash_span(flat, i * width, width)
    return out


@njit(parallel=True, cache=True)
def murmur3_varlen(flat, offsets):
    """Tokens of the byte strings flat[offsets[i]:offsets[i+1]]."""
    n = offsets.shape[0] - 1
    out = np.empty(n, np.int64)
    for i in prange(n):
        out[i] = _hash_span(flat, offsets[i], offsets[i + 1] - offsets[i])
    return out


@njit(inline="always", cache=True)
def _shl(v, s):
    return v << np.uint64(s) if s < 64 else np.uint64(0)


@njit(inline="always", cache=True)
def _shr(v, s):
    return v >> np.uint64(s) if s < 64 else np.uint64(0)


@njit(cache=True)
def _pieces(m, widths, component_of, composite):
    """The key as pieces of <= 8 bytes: (column or -1, constant, length) each, and the key length."""
    ncomp = component_of[m - 1] + 1
    comp_len = np.zeros(ncomp, np.int64)
    for c in range(m):
        comp_len[component_of[c]] += widths[c]
    piece_col = np.full(3 * m, -1, np.int64)
    piece_const = np.zeros(3 * m, np.uint64)
    piece_len = np.zeros(3 * m, np.int64)
    npieces = 0
    prev = -1
    for c in range(m):
        comp = component_of[c]
        if composite and comp != prev:
            if prev >= 0:
                piece_len[npieces] = 1  # the previous component's 0x00 end byte
                npieces += 1
            # big-endian uint16 length, packed little-endian: high byte first in the stream
            piece_const[npieces] = np.uint64((comp_len[comp] >> 8) & 0xFF) | (
                np.uint64(comp_len[comp] & 0xFF) << np.uint64(8)
            )
            piece_len[npieces] = 2
            npieces += 1
            prev = comp
        piece_col[npieces] = c
        piece_len[npieces] = widths[c]
        npieces += 1
    if composite:
        piece_len[npieces] = 1
        npieces += 1
    total = 0
    for k in range(npieces):
        total += piece_len[k]
    return piece_col[:npieces], piece_const[:npieces], piece_len[:npieces], total


@njit(inline="always", cache=True)
def _columns_token(cols, i, piece_col, piece_const, piece_len, total):
    h1 = np.uint64(0)
    h2 = np.uint64(0)
    lo = np.uint64(0)
    hi = np.uint64(0)
    fill = 0
    for k in range(piece_len.shape[0]):
        ln = piece_len[k]
        c = piece_col[k]
        if c >= 0:
            v = _bswap64(np.uint64(cols[c, i]) << np.uint64(64 - 8 * ln))
        else:
            v = piece_const[k]
        spill = np.uint64(0)
        if fill < 8:
            lo |= _shl(v, 8 * fill)
            if fill > 0:
                hi |= _shr(v, 64 - 8 * fill)
        else:
            hi |= _shl(v, 8 * (fill - 8))
            if fill + ln > 16:
                spill = _shr(v, 8 * (16 - fill))
        fill += ln
        if fill >= 16:
            h1, h2 = _mix_block(h1, h2, lo, hi)
            lo = spill
            hi = np.uint64(0)
            fill -= 16
    if fill > 8:
        h2 ^= _scramble_k2(_sign_fill(hi))
    if fill > 0:
        h1 ^= _scramble_k1(_sign_fill(lo))
    return _finish(h1, h2, total)


@njit(parallel=True, cache=True)
def murmur3_columns(cols, widths, component_of, composite):
    """Tokens of keys built from int64 columns, streamed into the hash without writing key bytes.

    cols: (m, n) int64; column c contributes its low `widths[c]` bytes big-endian (4 or 8) to
    component `component_of[c]` (non-decreasing). A composite key wraps each component as
    <uint16 length><bytes><0x00>, the way Cassandra serializes a CompositeType partition key.
    The key is a list of pieces (<= 8 bytes each, packed little-endian): constants for the length
    prefixes and terminators, byte-swapped column values between; a 16-byte window collects them and
    feeds MurmurHash3 block by block.
    """
    m, n = cols.shape
    piece_col, piece_const, piece_len, total = _pieces(m, widths, component_of, composite)
    out = np.empty(n, np.int64)
    for i in prange(n):
        out[i] = _columns_token(cols, i, piece_col, piece_const, piece_len, total)
    return out


@njit(parallel=True, cache=True)
def ring_route_columns(cols, widths, component_of, composite, ring, table, shift, owners):
    """Hash, find the ring range and its owner in one pass: (owner node per row, rows per range).

    Same key layout as `murmur3_columns`, same range rule as `ring_ranges`; each block of rows counts
    into its own histogram row so threads never share a counter.
    """
    m, n = cols.shape
    piece_col, piece_const, piece_len, total = _pieces(m, widths, component_of, composite)
    nr = ring.shape[0]
    nblk = min(n, 64) if n > 0 else 0
    hist = np.zeros((max(nblk, 1), nr), np.int64)
    out = np.empty(n, np.int64)
    for b in prange(nblk):
        for i in range(b * n // nblk, (b + 1) * n // nblk):
            k = _columns_token(cols, i, piece_col, piece_const, piece_len, total)
            j = table[(np.uint64(k) ^ np.uint64(0x8000000000000000)) >> np.uint64(shift)]
            while j < nr and ring[j] < k:
                j += 1
            if j == nr:
                j = 0
            hist[b, j] += 1
            out[i] = owners[j]
    return out, hist.sum(axis=0)


@njit(inline="always", cache=True)
def _bswap64(v):
    v = ((v & np.uint64(0x00FF00FF00FF00FF)) << np.uint64(8)) | ((v >> np.uint64(8)) & np.uint64(0x00FF00FF00FF00FF))
    v = ((v & np.uint64(0x0000FFFF0000FFFF)) << np.uint64(16)) | ((v >> np.uint64(16)) & np.uint64(0x0000FFFF0000FFFF))
    return (v << np.uint64(32)) | (v >> np.uint64(32))


@njit(inline="always", cache=True)
def _token_short_int(v, width):
    # A 4- or 8-byte big-endian key is all tail: k1 is its bytes read back little-endian, XOR the
    # ones Java's sign extension drags above every byte >= 0x80. Those fills are a prefix parity of
    # the bytes' top bits, spread over each byte by * 0xFF; no per-byte loop, so LLVM vectorizes it.
    k1 = _sign_fill(_bswap64(v << np.uint64(64 - 8 * width)))
    return _finish(_scramble_k1(k1), np.uint64(0), width)


@njit(parallel=True, fastmath=True, cache=True)
def murmur3_int64_into(values, width, out):
    """Tokens of int64 values serialized big-endian in `width` (4 or 8) bytes: int, bigint, timestamp."""
    n = values.shape[0]
    if width == 4:
        for i in prange(n):
            out[i] = _token_short_int(np.uint64(values[i]) & np.uint64(0xFFFFFFFF), 4)
    else:
        for i in prange(n):
            out[i] = _token_short_int(np.uint64(values[i]), 8)
    return out


@njit(nogil=True, cache=True)
def _murmur3_int64_serial(values, width, out):
    # One kernel per width, so the byte count is a constant LLVM folds into the vectorized loop.
    if width == 4:
        for i in range(values.shape[0]):
            out[i] = _token_short_int(np.uint64(values[i]) & np.uint64(0xFFFFFFFF), 4)
    else:
        for i in range(values.shape[0]):
            out[i] = _token_short_int(np.uint64(values[i]), 8)


#: Keys per block handed to a thread; below two blocks' worth, threads cost more than they save.
_BLOCK_KEYS = 1 << 19


def murmur3_int64(values: np.ndarray, width: int) -> np.ndarray:
    """Tokens of int64 values serialized big-endian in `width` (4 or 8) bytes, into a new array.

    Blocks of keys go to a thread pool as threads come free (the kernel releases the GIL), each
    thread also faulting in its own part of the output.
    """
    n = values.shape[0]
    out = np.empty(n, np.int64)
    if n < 2 * _BLOCK_KEYS:
        _murmur3_int64_serial(values, width, out)
        return out
    nblk = -(-n // _BLOCK_KEYS)

    def run(b: int) -> None:
        lo, hi = b * n // nblk, (b + 1) * n // nblk
        _murmur3_int64_serial(values[lo:hi], width, out[lo:hi])

    run_blocks(run, nblk)
    return out


@njit(parallel=True, cache=True)
def ring_ranges(keys, ring, table, shift):
    """Index of the first ring token >= each key token (wrapping to 0), like bisect_left.

    `table[b]` is the first ring index whose token is >= the smallest token of bucket b (the top
    bits of the token, offset to unsigned); from there a short forward scan finds the range.
    """
    n = keys.shape[0]
    m = ring.shape[0]
    out = np.empty(n, np.int64)
    for i in prange(n):
        k = keys[i]
        b = (np.uint64(k) ^ np.uint64(0x8000000000000000)) >> np.uint64(shift)
        j = table[b]
        while j < m and ring[j] < k:
            j += 1
        out[i] = j if j < m else 0
    return out
