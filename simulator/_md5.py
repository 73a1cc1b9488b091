"""Compiled MD5 over many short messages at once (RFC 1321), returning the digest's first 8 bytes.

MongoDB's hashed index keeps only the first 8 digest bytes as a little-endian int64, which are the
MD5 state words A and B. Words are kept in uint64 and masked to 32 bits after every addition.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from simulator._md5_rounds import _compress_words

__all__ = ["md5_head_varlen", "md5_head_fixed", "md5_head_numbers"]

_S = np.array(
    [7, 12, 17, 22] * 4 + [5, 9, 14, 20] * 4 + [4, 11, 16, 23] * 4 + [6, 10, 15, 21] * 4, dtype=np.uint64
)
_K = np.floor(np.abs(np.sin(np.arange(1, 65, dtype=np.float64))) * 2.0**32).astype(np.uint64)
_G = np.array(
    [i for i in range(16)]
    + [(5 * i + 1) % 16 for i in range(16, 32)]
    + [(3 * i + 5) % 16 for i in range(32, 48)]
    + [(7 * i) % 16 for i in range(48, 64)],
    dtype=np.int64,
)
_M32 = np.uint64(0xFFFFFFFF)


@njit(inline="always", cache=True)
def _compress(block, state):
    x = np.empty(16, np.uint64)
    for g in range(16):
        x[g] = (
            np.uint64(block[4 * g])
            | (np.uint64(block[4 * g + 1]) << np.uint64(8))
            | (np.uint64(block[4 * g + 2]) << np.uint64(16))
            | (np.uint64(block[4 * g + 3]) << np.uint64(24))
        )
    _compress_words(x, state)


@njit(cache=True)
def _md5_head(buf, start, length, block, state):
    state[0] = np.uint64(0x67452301)
    state[1] = np.uint64(0xEFCDAB89)
    state[2] = np.uint64(0x98BADCFE)
    state[3] = np.uint64(0x10325476)
    # Padding appends 0x80 and the 64-bit bit length, so the padded message has this many blocks.
    nblocks = (length + 8) // 64 + 1
    bitlen = np.uint64(length) * np.uint64(8)
    for blk in range(nblocks):
        for j in range(64):
            pos = blk * 64 + j
            if pos < length:
                block[j] = buf[start + pos]
            elif pos == length:
                block[j] = 0x80
            else:
                block[j] = 0
        if blk == nblocks - 1:
            for j in range(8):
                block[56 + j] = (bitlen >> np.uint64(8 * j)) & np.uint64(0xFF)
        _compress(block, state)
    return np.int64(state[0] | (state[1] << np.uint64(32)))


@njit(parallel=True, cache=True)
def md5_head_varlen(flat, offsets):
    """First 8 MD5 digest bytes (little-endian int64) of each flat[offsets[i]:offsets[i+1]]."""
    n = offsets.shape[0] - 1
    out = np.empty(n, np.int64)
    nblk = min(n, 256)
    for b in prange(nblk):
        block = np.empty(64, np.uint8)
        state = np.empty(4, np.uint64)
        for i in range(b * n // nblk, (b + 1) * n // nblk):
            out[i] = _md5_head(flat, offsets[i], offsets[i + 1] - offsets[i], block, state)
    return out


@njit(parallel=True, cache=True)
def md5_head_fixed(rows):
    """First 8 MD5 digest bytes (little-endian int64) of each row of a (n, width) uint8 array."""
    n, width = rows.shape
    flat = rows.reshape(n * width)
    out = np.empty(n, np.int64)
    nblk = min(n, 256)
    for b in prange(nblk):
        block = np.empty(64, np.uint8)
        state = np.empty(4, np.uint64)
        for i in range(b * n // nblk, (b + 1) * n // nblk):
            out[i] = _md5_head(flat, i * width, width, block, state)
    return out


@njit(parallel=True, cache=True)
def md5_head_numbers(values, canonical_type):
    """hash64 of int64 values: the 16-byte message (seed 0, type, value) is one padded block whose
    words are known, so no bytes are built: w0 = seed, w1 = type, w2/w3 = the value's halves,
    w4 = the 0x80 pad byte, w14 = the bit length 128."""
    n = values.shape[0]
    out = np.empty(n, np.int64)
    nblk = min(n, 256)
    for b in prange(nblk):
        x = np.zeros(16, np.uint64)
        state = np.empty(4, np.uint64)
        x[1] = np.uint64(canonical_type)
        x[4] = np.uint64(0x80)
        x[14] = np.uint64(128)
        for i in range(b * n // nblk, (b + 1) * n // nblk):
            v = np.uint64(values[i])
            x[2] = v & _M32
            x[3] = v >> np.uint64(32)
            state[0] = np.uint64(0x67452301)
            state[1] = np.uint64(0xEFCDAB89)
            state[2] = np.uint64(0x98BADCFE)
            state[3] = np.uint64(0x10325476)
            _compress_words(x, state)
            out[i] = np.int64(state[0] | (state[1] << np.uint64(32)))
    return out
