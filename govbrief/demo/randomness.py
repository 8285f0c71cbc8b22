"""Reproducible randomness for the demo: one generator per (seed, unit, period, purpose).

Python's hash() is salted per process, so the stream is keyed with CRC-32:
the same seed gives the same demo on every machine and every run, and adding
a unit or a period does not change the others' figures.
"""

from __future__ import annotations

import random
import zlib
from collections.abc import Mapping, Sequence
from typing import TypeVar

T = TypeVar("T")


def rng_for(seed: int, *parts: str) -> random.Random:
    """A generator seeded by `seed` and a stable checksum of `parts`."""
    return random.Random(seed ^ zlib.crc32("|".join(parts).encode("utf-8")))


def weighted(rng: random.Random, weights: Mapping[T, float]) -> T:
    """One key of `weights`, drawn in proportion to its weight."""
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def pick(rng: random.Random, options: Sequence[T]) -> T:
    """One of `options`, uniformly."""
    return options[rng.randrange(len(options))]
