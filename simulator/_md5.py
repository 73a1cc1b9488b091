"""Compiled MD5 over many short messages at once (RFC 1321), returning the digest's first 8 bytes.

MongoDB's hashed index keeps only the first 8 digest bytes as a little-endian int64, which are the
MD5 state words A and B. Words are kept in uint64 and masked to 32 bits after every addition.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

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
def _compress_words(x, state):
    # x: the block's 16 little-endian words (uint64 holding 32 bits each).
    # The 64 steps written out with their constants: a loop over the K/S/G tables kept numba near
    # 1.5 M blocks/s; unrolled, LLVM keeps the state in registers. Generated once from the tables above.
    M = np.uint64(0xFFFFFFFF)
    w0 = x[0]
    w1 = x[1]
    w2 = x[2]
    w3 = x[3]
    w4 = x[4]
    w5 = x[5]
    w6 = x[6]
    w7 = x[7]
    w8 = x[8]
    w9 = x[9]
    w10 = x[10]
    w11 = x[11]
    w12 = x[12]
    w13 = x[13]
    w14 = x[14]
    w15 = x[15]
    a = state[0]
    b = state[1]
    c = state[2]
    d = state[3]
    f = (((b & c) | ((~b & M) & d)) + a + np.uint64(3614090360) + w0) & M
    a = d
    d = c
    c = b
    b = (b + (((f << np.uint64(7)) | (f >> np.uint64(25))) & M)) & M
    f = (((b & c) | ((~b & M) & d)) + a + np.uint64(3905402710) + w1) & M
    a = d
    d = c
    c = b
    b = (b + (((f << np.uint64(12)) | (f >> np.uint64(20))) & M)) & M
    f = (((b & c) | ((~b & M) & d)) + a + np.uint64(606105819) + w2) & M
    a = d
    d = c
    c = b
    b = (b + (((f << np.uint64(17)) | (f >> np.uint64(15))) & M)) & M
    f = (((b & c) | ((~b & M) & d)) + a + np.uint64(3250441966) + w3) & M
    a = d
    d = c
    c = b
    b = (b + (((f << np.uint64(22)) | (f >> np.uint64(10))) & M)) & M
    f = (((b & c) | ((~b & M) & d)) + a + np.uint64(4118548399) + w4) & M
    a = d
    d = c
    c = b
    b = (b + (((f << np.uint64(7)) | (f >> np.uint64(25))) & M)) & M
    f = (((b & c) | ((~b & M) & d)) + a + np.uint64(1200080426) + w5) & M
    a = d
    d = c
    c = b
    b = (b + (((f << np.uint64(12)) | (f >> np.uint64(20))) & M)) & M
    f = (((b & c) | ((~b & M) & d)) + a + np.uint64(2821735955) + w6) & M
    a = d
    d = c
    c = b
    b = (b + (((f << np.uint64(17)) | (f >> np.uint64(15))) & M)) & M
    f = (((b & c) | ((~b & M) & d)) + a + np.uint64(4249261313) + w7) & M
    a = d
    d = c
    c = b
    b = (b + (((f << np.uint64(22)) | (f >> np.uint64(10))) & M)) & M
    f = (((b & c) | ((~b & M) & d)) + a + np.uint64(1770035416) + w8) & M
    a = d
    d = c
    c = b
    b = (b + (((f << np.uint64(7)) | (f >> np.uint64(25))) & M)) & M
    f = (((b & c) | ((~b & M) & d)) + a + np.uint64(2336552879) + w9) & M
    a = d
    d = c
    c = b
    b = (b + (((f << np.uint64(12)) | (f >> np.uint64(20))) & M)) & M
    f = (((b & c) | ((~b & M) & d)) + a + np.uint64(4294925233) + w10) & M
    a = d
    d = c
    c = b
    b = (b + (((f << np.uint64(17)) | (f >> np.uint64(15))) & M)) & M
    f = (((b & c) | ((~b & M) & d)) + a + np.uint64(2304563134) + w11) & M
    a = d
    d = c
    c = b
    b = (b + (((f << np.uint64(22)) | (f >> np.uint64(10))) & M)) & M
    f = (((b & c) | ((~b & M) & d)) + a + np.uint64(1804603682) + w12) & M
    a = d
    d = c
    c = b
    b = (b + (((f << np.uint64(7)) | (f >> np.uint64(25))) & M)) & M
    f = (((b & c) | ((~b & M) & d)) + a + np.uint64(4254626195) + w13) & M
    a = d
    d = c
    c = b
    b = (b + (((f << np.uint64(12)) | (f >> np.uint64(20))) & M)) & M
    f = (((b & c) | ((~b & M) & d)) + a + np.uint64(2792965006) + w14) & M
    a = d
    d = c
    c = b
    b = (b + (((f << np.uint64(17)) | (f >> np.uint64(15))) & M)) & M
    f = (((b & c) | ((~b & M) & d)) + a + np.uint64(1236535329) + w15) & M
    a = d
    d = c
    c = b
    b = (b + (((f << np.uint64(22)) | (f >> np.uint64(10))) & M)) & M
    f = (((d & b) | ((~d & M) & c)) + a + np.uint64(4129170786) + w1) & M
    a = d
    d = c
    c = b
    b = (b + (((f << np.uint64(5)) | (f >> np.uint64(27))) & M)) & M
    f = (((d & b) | ((~d & M) & c)) + a + np.uint64(3225465664) + w6) & M
    a = d
    d = c
    c = b
    b = (b + (((f << np.uint64(9)) | (f >> np.uint64(23))) & M)) & M
    f = (((d & b) | ((~d & M) & c)) + a + np.uint64(643717713) + w11) & M
    a = d
    d = c
    c = b
    b = (b + (((f << np.uint64(14)) | (f >> np.uint64(18))) & M)) & M
    f = (((d & b) | ((~d & M) & c)) + a + np.uint64(3921069994) + w0) & M
    a = d
    d = c
    c = b
    b = (b + (((f << np.uint64(20)) | (f >> np.uint64(12))) & M)) & M
    f = (((d & b) | ((~d & M) & c)) + a + np.uint64(3593408605) + w5) & M
    a = d
    d = c
    c = b
    b = (b + (((f << np.uint64(5)) | (f >> np.uint64(27))) & M)) & M
    f = (((d & b) | ((~d & M) & c)) + a + np.uint64(38016083) + w10) & M
    a = d
    d = c
    c = b
    b = (b + (((f << np.uint64(9)) | (f >> np.uint64(23))) & M)) & M
    f = (((d & b) | ((~d & M) & c)) + a + np.uint64(3634488961) + w15) & M
    a = d
    d = c
    c = b
    b = (b + (((f << np.uint64(14)) | (f >> np.uint64(18))) & M)) & M
    f = (((d & b) | ((~d & M) & c)) + a + np.uint64(3889429448) + w4) & M
    a = d
    d = c
    c = b
    b = (b + (((f << np.uint64(20)) | (f >> np.uint64(12))) & M)) & M
    f = (((d & b) | ((~d & M) & c)) + a + np.uint64(568446438) + w9) & M
    a = d
    d = c
    c = b
    b = (b + (((f << np.uint64(5)) | (f >> np.uint64(27))) & M)) & M
    f = (((d & b) | ((~d & M) & c)) + a + np.uint64(3275163606) + w14) & M
    a = d
    d = c
    c = b
    b = (b + (((f << np.uint64(9)) | (f >> np.uint64(23))) & M)) & M
    f = (((d & b) | ((~d & M) & c)) + a + np.uint64(4107603335) + w3) & M
    a = d
    d = c
    c = b
    b = (b + (((f << np.uint64(14)) | (f >> np.uint64(18))) & M)) & M
    f = (((d & b) | ((~d & M) & c)) + a + np.uint64(1163531501) + w8) & M
    a = d
    d = c
    c = b
    b = (b + (((f << np.uint64(20)) | (f >> np.uint64(12))) & M)) & M
    f = (((d & b) | ((~d & M) & c)) + a + np.uint64(2850285829) + w13) & M
    a = d
    d = c
    c = b
    b = (b + (((f << np.uint64(5)) | (f >> np.uint64(27))) & M)) & M
    f = (((d & b) | ((~d & M) & c)) + a + np.uint64(4243563512) + w2) & M
    a = d
    d = c
    c = b
    b = (b + (((f << np.uint64(9)) | (f >> np.uint64(23))) & M)) & M
    f = (((d & b) | ((~d & M) & c)) + a + np.uint64(1735328473) + w7) & M
    a = d
    d = c
    c = b
    b = (b + (((f << np.uint64(14)) | (f >> np.uint64(18))) & M)) & M
    f = (((d & b) | ((~d & M) & c)) + a + np.uint64(2368359562) + w12) & M
    a = d
    d = c
    c = b
    b = (b + (((f << np.uint64(20)) | (f >> np.uint64(12))) & M)) & M
    f = ((b ^ c ^ d) + a + np.uint64(4294588738) + w5) & M
    a = d
    d = c
    c = b
    b = (b + (((f << np.uint64(4)) | (f >> np.uint64(28))) & M)) & M
    f = ((b ^ c ^ d) + a + np.uint64(2272392833) + w8) & M
    a = d
    d = c
    c = b
    b = (b + (((f << np.uint64(11)) | (f >> np.uint64(21))) & M)) & M
    f = ((b ^ c ^ d) + a + np.uint64(1839030562) + w11) & M
    a = d
    d = c
    c = b
    b = (b + (((f << np.uint64(16)) | (f >> np.uint64(16))) & M)) & M
    f = ((b ^ c ^ d) + a + np.uint64(4259657740) + w14) & M
    a = d
    d = c
    c = b
    b = (b + (((f << np.uint64(23)) | (f >> np.uint64(9))) & M)) & M
    f = ((b ^ c ^ d) + a + np.uint64(2763975236) + w1) & M
    a = d
    d = c
    c = b
    b = (b + (((f << np.uint64(4)) | (f >> np.uint64(28))) & M)) & M
    f = ((b ^ c ^ d) + a + np.uint64(1272893353) + w4) & M
    a = d
    d = c
    c = b
    b = (b + (((f << np.uint64(11)) | (f >> np.uint64(21))) & M)) & M
    f = ((b ^ c ^ d) + a + np.uint64(4139469664) + w7) & M
    a = d
    d = c
    c = b
    b = (b + (((f << np.uint64(16)) | (f >> np.uint64(16))) & M)) & M
    f = ((b ^ c ^ d) + a + np.uint64(3200236656) + w10) & M
    a = d
    d = c
    c = b
    b = (b + (((f << np.uint64(23)) | (f >> np.uint64(9))) & M)) & M
    f = ((b ^ c ^ d) + a + np.uint64(681279174) + w13) & M
    a = d
    d = c
    c = b
    b = (b + (((f << np.uint64(4)) | (f >> np.uint64(28))) & M)) & M
    f = ((b ^ c ^ d) + a + np.uint64(3936430074) + w0) & M
    a = d
    d = c
    c = b
    b = (b + (((f << np.uint64(11)) | (f >> np.uint64(21))) & M)) & M
    f = ((b ^ c ^ d) + a + np.uint64(3572445317) + w3) & M
    a = d
    d = c
    c = b
    b = (b + (((f << np.uint64(16)) | (f >> np.uint64(16))) & M)) & M
    f = ((b ^ c ^ d) + a + np.uint64(76029189) + w6) & M
    a = d
    d = c
    c = b
    b = (b + (((f << np.uint64(23)) | (f >> np.uint64(9))) & M)) & M
    f = ((b ^ c ^ d) + a + np.uint64(3654602809) + w9) & M
    a = d
    d = c
    c = b
    b = (b + (((f << np.uint64(4)) | (f >> np.uint64(28))) & M)) & M
    f = ((b ^ c ^ d) + a + np.uint64(3873151461) + w12) & M
    a = d
    d = c
    c = b
    b = (b + (((f << np.uint64(11)) | (f >> np.uint64(21))) & M)) & M
    f = ((b ^ c ^ d) + a + np.uint64(530742520) + w15) & M
    a = d
    d = c
    c = b
    b = (b + (((f << np.uint64(16)) | (f >> np.uint64(16))) & M)) & M
    f = ((b ^ c ^ d) + a + np.uint64(3299628645) + w2) & M
    a = d
    d = c
    c = b
    b = (b + (((f << np.uint64(23)) | (f >> np.uint64(9))) & M)) & M
    f = ((c ^ (b | (~d & M))) + a + np.uint64(4096336452) + w0) & M
    a = d
    d = c
    c = b
    b = (b + (((f << np.uint64(6)) | (f >> np.uint64(26))) & M)) & M
    f = ((c ^ (b | (~d & M))) + a + np.uint64(1126891415) + w7) & M
    a = d
    d = c
    c = b
    b = (b + (((f << np.uint64(10)) | (f >> np.uint64(22))) & M)) & M
    f = ((c ^ (b | (~d & M))) + a + np.uint64(2878612391) + w14) & M
    a = d
    d = c
    c = b
    b = (b + (((f << np.uint64(15)) | (f >> np.uint64(17))) & M)) & M
    f = ((c ^ (b | (~d & M))) + a + np.uint64(4237533241) + w5) & M
    a = d
    d = c
    c = b
    b = (b + (((f << np.uint64(21)) | (f >> np.uint64(11))) & M)) & M
    f = ((c ^ (b | (~d & M))) + a + np.uint64(1700485571) + w12) & M
    a = d
    d = c
    c = b
    b = (b + (((f << np.uint64(6)) | (f >> np.uint64(26))) & M)) & M
    f = ((c ^ (b | (~d & M))) + a + np.uint64(2399980690) + w3) & M
    a = d
    d = c
    c = b
    b = (b + (((f << np.uint64(10)) | (f >> np.uint64(22))) & M)) & M
    f = ((c ^ (b | (~d & M))) + a + np.uint64(4293915773) + w10) & M
    a = d
    d = c
    c = b
    b = (b + (((f << np.uint64(15)) | (f >> np.uint64(17))) & M)) & M
    f = ((c ^ (b | (~d & M))) + a + np.uint64(2240044497) + w1) & M
    a = d
    d = c
    c = b
    b = (b + (((f << np.uint64(21)) | (f >> np.uint64(11))) & M)) & M
    f = ((c ^ (b | (~d & M))) + a + np.uint64(1873313359) + w8) & M
    a = d
    d = c
    c = b
    b = (b + (((f << np.uint64(6)) | (f >> np.uint64(26))) & M)) & M
    f = ((c ^ (b | (~d & M))) + a + np.uint64(4264355552) + w15) & M
    a = d
    d = c
    c = b
    b = (b + (((f << np.uint64(10)) | (f >> np.uint64(22))) & M)) & M
    f = ((c ^ (b | (~d & M))) + a + np.uint64(2734768916) + w6) & M
    a = d
    d = c
    c = b
    b = (b + (((f << np.uint64(15)) | (f >> np.uint64(17))) & M)) & M
    f = ((c ^ (b | (~d & M))) + a + np.uint64(1309151649) + w13) & M
    a = d
    d = c
    c = b
    b = (b + (((f << np.uint64(21)) | (f >> np.uint64(11))) & M)) & M
    f = ((c ^ (b | (~d & M))) + a + np.uint64(4149444226) + w4) & M
    a = d
    d = c
    c = b
    b = (b + (((f << np.uint64(6)) | (f >> np.uint64(26))) & M)) & M
    f = ((c ^ (b | (~d & M))) + a + np.uint64(3174756917) + w11) & M
    a = d
    d = c
    c = b
    b = (b + (((f << np.uint64(10)) | (f >> np.uint64(22))) & M)) & M
    f = ((c ^ (b | (~d & M))) + a + np.uint64(718787259) + w2) & M
    a = d
    d = c
    c = b
    b = (b + (((f << np.uint64(15)) | (f >> np.uint64(17))) & M)) & M
    f = ((c ^ (b | (~d & M))) + a + np.uint64(3951481745) + w9) & M
    a = d
    d = c
    c = b
    b = (b + (((f << np.uint64(21)) | (f >> np.uint64(11))) & M)) & M
    state[0] = (state[0] + a) & M
    state[1] = (state[1] + b) & M
    state[2] = (state[2] + c) & M
    state[3] = (state[3] + d) & M


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
