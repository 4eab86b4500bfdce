"""Seeded randomness that depends only on (seed, entity key, day, stream), never on call order.

Python's ``hash()`` is salted per process, so keys go through BLAKE2b. Building a numpy
generator from a seed runs SeedSequence (~35 µs); setting a PCG64 state from a digest costs a
tenth of that, and the hash already mixes the inputs, so one bit generator is re-stated per
stream.
"""

from __future__ import annotations

import hashlib
from statistics import NormalDist

import numpy as np

_UNIT_NORMAL = NormalDist()
_MASK64 = (1 << 64) - 1


def _digest(seed: int, parts: tuple[object, ...], size: int) -> bytes:
    text = "\x1f".join([str(seed & _MASK64), *map(str, parts)])
    return hashlib.blake2b(text.encode("utf-8"), digest_size=size).digest()


def unit_normal(seed: int, *parts: object) -> float:
    """A standard-normal draw fixed by ``seed`` and ``parts`` (for scenario-level parameters)."""
    bits = int.from_bytes(_digest(seed, parts, 8), "little") >> 11
    return _UNIT_NORMAL.inv_cdf((bits + 0.5) / (1 << 53))


class Streams:
    """Hands out numpy generators positioned by (key, day ordinal, stream name)."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self._bits = np.random.PCG64(0)
        self._generator = np.random.Generator(self._bits)

    def generator(self, key: str, ordinal: int, stream: str) -> np.random.Generator:
        """The generator for one entity-day stream; valid until the next call."""
        raw = _digest(self.seed, (key, ordinal, stream), 32)
        self._bits.state = {
            "bit_generator": "PCG64",
            "state": {
                "state": int.from_bytes(raw[:16], "little"),
                "inc": int.from_bytes(raw[16:], "little") | 1,
            },
            "has_uint32": 0,
            "uinteger": 0,
        }
        return self._generator
