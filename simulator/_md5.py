"""Compiled MD5 over many short messages at once (RFC 1321), returning the digest's first 8 bytes.

MongoDB's hashed index keeps only the first 8 digest bytes as a little-endian int64, which are the
MD5 state words A and B. Words are kept in uint64 and masked to 32 bits after every addition.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

__all__ = ["md5_head_varlen", "md5_head_fixed"]

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


def _unrolled_compress_source() -> str:
    """Source of the 64 MD5 steps written out with their constants.

    A loop indexing the K/S/G tables kept numba at ~1.5 M blocks/s; written out, LLVM keeps the
    state in registers and folds the constants (several times faster).
    """
    funcs = [
        "((b & c) | ((~b & M) & d))",
        "((d & b) | ((~d & M) & c))",
        "(b ^ c ^ d)",
        "(c ^ (b | (~d & M)))",
    ]
    lines = ["def _compress(block, state):", "    M = np.uint64(0xFFFFFFFF)"]
    for g in range(16):
        lines.append(
            f"    w{g} = np.uint64(block[{4 * g}]) | (np.uint64(block[{4 * g + 1}]) << np.uint64(8))"
            f" | (np.uint64(block[{4 * g + 2}]) << np.uint64(16)) | (np.uint64(block[{4 * g + 3}]) << np.uint64(24))"
        )
    lines.append("    a = state[0]\n    b = state[1]\n    c = state[2]\n    d = state[3]")
    for i in range(64):
        f = funcs[i // 16]
        sh = int(_S[i])
        lines.append(f"    f = ({f} + a + np.uint64({int(_K[i])}) + w{int(_G[i])}) & M")
        lines.append("    a = d\n    d = c\n    c = b")
        lines.append(f"    b = (b + (((f << np.uint64({sh})) | (f >> np.uint64({32 - sh}))) & M)) & M")
    for k, name in enumerate("abcd"):
        lines.append(f"    state[{k}] = (state[{k}] + {name}) & M")
    return "\n".join(lines) + "\n"


_namespace: dict = {"np": np}
exec(compile(_unrolled_compress_source(), "<md5-unrolled>", "exec"), _namespace)  # noqa: S102 - generated above
# cache=False: numba cannot cache functions whose source is not in a file; callers inline it anyway.
_compress = njit(inline="always")(_namespace["_compress"])


@njit
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


@njit(parallel=True)
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


@njit(parallel=True)
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
