"""Identifiers and document numbers of the demo, vectorised: USCCs (GB 32100, with the
GB 11714 inner check), old 15-digit registration numbers, and running sequence numbers
per department/year or county."""

from __future__ import annotations

from typing import Any

import numpy as np

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = np.array([1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28])
ORG_WEIGHTS = np.array([3, 7, 9, 10, 5, 8, 4, 2])


def group_sequence(keys: np.ndarray, dates: np.ndarray, counters: dict[Any, int]) -> np.ndarray:
    """1-based running number per key in date order, continuing across chunks through
    `counters` (document numbers per department and year, licence sequence per county)."""
    n = len(keys)
    out = np.zeros(n, dtype=np.int64)
    if n == 0:
        return out
    uniq, inverse = np.unique(np.asarray(keys).astype(str), return_inverse=True)
    order = np.lexsort((dates, inverse))
    _, first, counts = np.unique(inverse[order], return_index=True, return_counts=True)
    rank = np.arange(n) - np.repeat(first, counts)
    base = np.array([counters.get(k, 0) for k in uniq.tolist()], dtype=np.int64)
    out[order] = np.repeat(base, counts) + rank + 1
    for k, b, c in zip(uniq.tolist(), base.tolist(), counts.tolist(), strict=True):
        counters[k] = b + c
    return out


def _org_check(body_vals: np.ndarray) -> np.ndarray:
    """GB 11714 check character values (vectorised `identifiers.organisation_code_check`)."""
    check = 11 - (body_vals * ORG_WEIGHTS).sum(axis=1) % 11
    return check  # 10 → 'X', 11 → '0', else the digit


def build_usccs(region_codes: np.ndarray, index: np.ndarray, modern: np.ndarray) -> list[str]:
    """Valid USCCs (vectorised `identifiers.build_uscc`): `9` `1` + division + an
    organisation code derived bijectively from the enterprise's index (so codes never
    collide) + both check characters. Modern codes have `MA…` bodies (issued since
    2015), older ones the 8-digit organisation code they were converted from."""
    n = len(index)
    body = np.zeros((n, 8), dtype=np.int64)  # values in base 36 (GB 11714) for letters
    # Modern: MA + 6 chars of the USCC alphabet, from a multiplicative permutation of the index.
    m = (index * 387_420_489 + 12_345) % (31**6)
    alphabet_vals = np.array([int(c, 36) for c in USCC_ALPHABET])
    digits6 = np.zeros((n, 6), dtype=np.int64)
    x = m.copy()
    for j in range(5, -1, -1):
        digits6[:, j] = x % 31
        x //= 31
    modern_body = np.concatenate(
        [np.full((n, 1), int("M", 36)), np.full((n, 1), int("A", 36)), alphabet_vals[digits6]], axis=1
    )
    old = (index * 7_919_317 + 10_000_019) % (10**8)
    old_body = np.zeros((n, 8), dtype=np.int64)
    x = old.copy()
    for j in range(7, -1, -1):
        old_body[:, j] = x % 10
        x //= 10
    body = np.where(modern[:, None], modern_body, old_body)
    check = _org_check(body)
    check_val = np.where(check == 11, 0, np.where(check == 10, int("X", 36), check))
    chars36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    region_digits = np.array([[int(c) for c in code] for code in region_codes.tolist()], dtype=np.int64)
    # Outer check over the first 17 characters, by their index in the USCC alphabet.
    to_uscc_index = {int(c, 36): i for i, c in enumerate(USCC_ALPHABET)}
    lookup = np.full(36, -1, dtype=np.int64)
    for v, i in to_uscc_index.items():
        lookup[v] = i
    first17 = np.concatenate(
        [np.full((n, 1), 9), np.full((n, 1), 1), region_digits, body, check_val[:, None]], axis=1
    )
    idx17 = lookup[first17]
    outer = (31 - (idx17 * USCC_WEIGHTS).sum(axis=1) % 31) % 31
    out = []
    for row, o in zip(first17.tolist(), outer.tolist(), strict=True):
        out.append("".join(chars36[v] for v in row) + USCC_ALPHABET[o])
    return out


def registration_check(digits14: str) -> str:
    """ISO 7064 MOD 11,10 check digit of the old 15-digit registration number."""
    p = 10
    for c in digits14:
        s = (p + int(c)) % 10 or 10
        p = (2 * s) % 11
    return str((11 - p) % 10)
