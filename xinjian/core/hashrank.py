"""`hash-rank-v1` (interfaces.md), the platform's one way of drawing a verifiable random
sample: publish commitment = sha256(seed) before the draw; digest the population as
sha256("\\n".join(sorted keys)); rank every key by sha256(seed + ":" + key) as a hex
string, ascending, and take the first ceil(ratio × population). Double-random draws
(inspections) and commitment verification samples (commitments) both use it; the
stand-alone `inspections/verify.py` re-implements it with the standard library only, so
the two check each other.

Lower-case hex compares like the digest bytes ('0' < … < '9' < 'a' < … < 'f'), so
ranking by the raw digest is the same order, and cheaper.
"""

from __future__ import annotations

import hashlib
import math
import secrets
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

import numpy as np

ALGORITHM = "hash-rank-v1"


def new_seed() -> str:
    """256 bits from the OS's CSPRNG, as hex."""
    return secrets.token_hex(32)


def commitment_of(seed: str) -> str:
    return hashlib.sha256(seed.encode()).hexdigest()


def population_digest(sorted_usccs: Sequence[str]) -> str:
    """sha256 of the population, sorted, joined by "\\n". The caller passes it sorted."""
    return hashlib.sha256("\n".join(sorted_usccs).encode()).hexdigest()


def rank_key(seed: str, key: str | int) -> str:
    """The rank of one key (a USCC, a record id) under the seed, as hex."""
    return hashlib.sha256(f"{seed}:{key}".encode()).hexdigest()


def selection_size(ratio: Decimal | str | float, population: int) -> int:
    """ceil(ratio × population), computed exactly: 0.07 × 100 is 7, not 8 as in binary
    floating point. The ratio is read from its decimal text."""
    exact = Fraction(Decimal(str(ratio))) * population
    return min(population, math.ceil(exact))


def select(seed: str, usccs: Sequence[str], k: int) -> list[str]:
    """The first `k` USCCs ranked by sha256(seed:uscc) ascending, in rank order.

    Vectorised: hash every USCC once, partition on the first 8 bytes of the digest with
    numpy, then order the (few) candidates by their full digest — ties on the 8-byte
    prefix at the boundary are resolved exactly because every candidate whose prefix is
    not above the k-th prefix is kept before the exact sort."""
    n = len(usccs)
    if k <= 0 or n == 0:
        return []
    prefix = seed + ":"
    sha = hashlib.sha256
    digests = [sha((prefix + u).encode()).digest() for u in usccs]
    if k >= n:
        order = sorted(range(n), key=digests.__getitem__)
        return [usccs[i] for i in order]
    heads = np.frombuffer(b"".join(digests), dtype=">u8")[::4]
    kth = np.partition(heads, k - 1)[k - 1]
    candidates = np.nonzero(heads <= kth)[0].tolist()
    candidates.sort(key=digests.__getitem__)
    return [usccs[i] for i in candidates[:k]]
