"""COCO compressed RLE strings, checked and measured without decoding any pixel.

pycocotools trusts its input: a string whose runs add up to more than height x width
makes ``decode`` write past the mask it allocated. So every string is first decoded
here into its run lengths (vectorised over all the strings of a file at once, which is
as fast as pycocotools' own ``area``), checked to cover exactly height x width, and
measured (area = the sum of the odd runs). Only then may pycocotools decode the pixels
(``--deep``, thumbnails).

The encoding (pycocotools ``rleFrString``): each run is a little-endian sequence of
5-bit groups, one character each (``chr(48 + bits)``), bit 0x20 meaning "more
follows"; the last group's bit 0x10 is the sign. From the fourth run on, the value
is a difference to the run two places before.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

MAX_GROUPS = 7
"""Characters one run may take: 35 bits, more than any mask needs (2^32 pixels)."""


@dataclass(frozen=True)
class Measured:
    """Per string: whether it is a valid RLE of its size, why not, and its area."""

    valid: np.ndarray
    """bool per string."""
    area: np.ndarray
    """int64 per string (0 where invalid)."""
    problem: list[str]
    """Empty where valid."""


CHUNK_CHARS = 1 << 15
"""Strings are measured in groups of about this many characters: the arrays then stay
in the processor's cache (and below malloc's mmap threshold), which makes the dozen
passes over them several times faster than over one file-sized array."""


def measure(strings: Sequence[str], sizes: Sequence[int]) -> Measured:
    """Check and measure each compressed RLE string against its pixel count ``sizes``."""
    parts: list[Measured] = []
    start, chars = 0, 0
    for i, text in enumerate(strings):
        chars += len(text)
        if chars >= CHUNK_CHARS:
            parts.append(_measure(strings[start:i + 1], sizes[start:i + 1]))
            start, chars = i + 1, 0
    if start < len(strings) or not parts:
        parts.append(_measure(strings[start:], sizes[start:]))
    if len(parts) == 1:
        return parts[0]
    return Measured(np.concatenate([p.valid for p in parts]),
                    np.concatenate([p.area for p in parts]),
                    [text for p in parts for text in p.problem])


def _measure(strings: Sequence[str], sizes: Sequence[int]) -> Measured:
    n = len(strings)
    problem = [""] * n
    valid = np.ones(n, dtype=bool)
    area = np.zeros(n, dtype=np.int64)
    if n == 0:
        return Measured(valid, area, problem)
    try:
        raw = np.frombuffer("".join(strings).encode("ascii"), dtype=np.uint8)
    except UnicodeEncodeError:
        return _one_by_one(strings, sizes)
    lengths = np.fromiter((len(s) for s in strings), dtype=np.int64, count=n)
    ends_at = np.cumsum(lengths)
    has_chars = lengths > 0
    expected = np.asarray(sizes, dtype=np.float64)
    char_bad = np.zeros(n, dtype=bool)
    if raw.size and ((raw < 48) | (raw > 111)).any():
        owner = np.searchsorted(ends_at, np.flatnonzero((raw < 48) | (raw > 111)),
                                side="right")
        char_bad[owner] = True
    more = raw >= 80  # bit 0x20 of (byte - 48): another character of this run follows
    truncated = np.zeros(n, dtype=bool)
    truncated[has_chars] = more[ends_at[has_chars] - 1]
    boundary = ~more
    boundary[ends_at[has_chars] - 1] = True  # a truncated run stops at its string's end
    run_end = np.flatnonzero(boundary)
    run_start = np.empty_like(run_end)
    if run_end.size:
        run_start[0] = 0
        run_start[1:] = run_end[:-1] + 1
    run_len = run_end - run_start + 1
    low = (raw - 48) & 0x1F
    x = low[run_start].astype(np.int64)
    longest = int(run_len.max()) if run_len.size else 0
    for k in range(1, min(longest, MAX_GROUPS + 1)):
        longer = np.flatnonzero(run_len > k)
        x[longer] += low[run_start[longer] + k].astype(np.int64) << (5 * k)
    run_string = np.searchsorted(ends_at, run_start, side="right")
    too_long = np.zeros(n, dtype=bool)
    if longest > MAX_GROUPS:
        too_long[run_string[run_len > MAX_GROUPS]] = True
    signed = (low[run_end] & 0x10) != 0
    x[signed] -= np.int64(1) << (5 * np.minimum(run_len[signed], MAX_GROUPS))
    first_run = np.searchsorted(run_start, ends_at - lengths, side="left")
    index = np.arange(x.size) - first_run[run_string]
    counts = x
    odd = (index & 1) == 1
    for chain in (odd, ~odd & (index >= 2)):
        chosen = np.flatnonzero(chain)
        if chosen.size:
            counts[chosen] = _segmented_cumsum(x[chosen], run_string[chosen])
    negative = np.zeros(n, dtype=bool)
    if (counts < 0).any():
        negative[run_string[counts < 0]] = True
    total = np.bincount(run_string, weights=counts, minlength=n)
    ones = np.bincount(run_string[odd], weights=counts[odd], minlength=n)
    fine = ~(char_bad | truncated | too_long | negative) & (total == expected)
    area[:] = np.where(fine, ones, 0).astype(np.int64)
    for i in np.flatnonzero(~fine).tolist():
        if char_bad[i]:
            reason = "holds a character outside the RLE encoding ('0' to 'o')"
        elif lengths[i] == 0:
            reason = "counts is empty" if expected[i] != 0 else ""
        elif truncated[i]:
            reason = "is truncated (its last run is incomplete)"
        elif too_long[i]:
            reason = "holds a run longer than any mask"
        elif negative[i]:
            reason = "decodes to a negative run"
        else:
            reason = f"runs add up to {int(total[i]):,} pixels, not {int(expected[i]):,}"
        if reason:
            valid[i], problem[i] = False, reason
    return Measured(valid, area, problem)


def _segmented_cumsum(values: np.ndarray, owner: np.ndarray) -> np.ndarray:
    """Running sums of ``values`` restarting wherever ``owner`` (sorted) changes."""
    running = np.cumsum(values)
    starts = np.flatnonzero(np.concatenate(([True], owner[1:] != owner[:-1])))
    offsets = running[starts] - values[starts]
    result: np.ndarray = running - np.repeat(offsets, np.diff(np.append(starts, values.size)))
    return result


def _one_by_one(strings: Sequence[str], sizes: Sequence[int]) -> Measured:
    """Strings with non-ASCII characters: those are invalid, the rest measured."""
    ascii_ok = [s.isascii() for s in strings]
    keep = [i for i, ok in enumerate(ascii_ok) if ok]
    inner = measure([strings[i] for i in keep], [sizes[i] for i in keep])
    n = len(strings)
    valid = np.zeros(n, dtype=bool)
    area = np.zeros(n, dtype=np.int64)
    problem = ["holds a character outside the RLE encoding ('0' to 'o')"] * n
    for j, i in enumerate(keep):
        valid[i], area[i], problem[i] = inner.valid[j], inner.area[j], inner.problem[j]
    return Measured(valid, area, problem)


def decode(counts: str, height: int, width: int) -> np.ndarray:
    """The mask (height x width, uint8) of an RLE :func:`measure` found valid."""
    from pycocotools import mask as coco_mask

    with warnings.catch_warnings():  # pycocotools 2.0.x on numpy 2: a deprecation notice
        warnings.simplefilter("ignore", DeprecationWarning)
        pixels: np.ndarray = np.asarray(
            coco_mask.decode({"size": [height, width], "counts": counts.encode()}))
    return pixels


def measure_fast(strings: Sequence[str], sizes: Sequence[int]) -> Measured:
    """:func:`measure`'s answer at pycocotools' speed, for well-formed strings.

    A string whose characters are all in the encoding and whose last run is complete is
    read safely by pycocotools (it only *decoding* that trusts the total). Its area is
    pycocotools' ``area``. Its total comes from ``toBbox`` on a one-row mask
    (size ``[1, N]``): the box then spans ``x = cnts[0] .. S - 1`` where ``S`` is the
    sum of the first even number of runs. With an even number of runs that is the
    total; with an odd number the string gets one more run, ``"0"`` (which repeats
    the run two places back, a run of ones of known size: the area grows by it), and
    ``S`` of the longer string, less that growth, is the total. Empty masks (whose box
    is empty whatever the runs), strings not well formed and totals that do not add up
    are measured again by :func:`measure`, which says why.
    """
    from pycocotools import mask as coco_mask

    n = len(strings)
    if n == 0:
        return measure(strings, sizes)
    try:
        raw = np.frombuffer("".join(strings).encode("ascii"), dtype=np.uint8)
    except UnicodeEncodeError:  # hostile text: the exact decoder says which strings
        return measure(strings, sizes)
    lengths = np.fromiter(map(len, strings), dtype=np.int64, count=n)
    ends = np.cumsum(lengths)
    suspect = lengths == 0
    if raw.size:
        bad = (raw < 48) | (raw > 111)
        if bad.any():
            suspect[np.searchsorted(ends, np.flatnonzero(bad), side="right")] = True
        nonempty = ~suspect
        suspect[nonempty] |= raw[ends[nonempty] - 1] >= 80
    starts = ends - lengths
    terminators = (raw < 80).view(np.uint8) if raw.size else raw
    runs = np.zeros(n, dtype=np.int64)
    nonempty = lengths > 0
    if raw.size:
        runs[nonempty] = np.add.reduceat(terminators, starts[nonempty], dtype=np.int64)
    fine = np.flatnonzero(~suspect)
    area = np.zeros(n, dtype=np.int64)
    total = np.full(n, -1.0)
    if fine.size:
        chosen = fine.tolist()
        row_sizes = {size: [1, int(size)] for size in set(sizes)}  # shared, read-only
        objects = [{"size": row_sizes[sizes[i]], "counts": strings[i]} for i in chosen]
        area[fine] = _batched(coco_mask.area, objects)
        odd = runs[fine] % 2 == 1
        even_at = fine[~odd]
        if even_at.size:
            boxes = _batched(coco_mask.toBbox, [objects[j] for j in np.flatnonzero(~odd)])
            total[even_at] = np.where(boxes[:, 2] > 0, boxes[:, 0] + boxes[:, 2], -1.0)
        odd_at = fine[odd]
        if odd_at.size:
            longer = [{"size": row_sizes[sizes[i]], "counts": strings[i] + "0"}
                      for i in odd_at.tolist()]
            boxes = _batched(coco_mask.toBbox, longer)
            grown = _batched(coco_mask.area, longer) - area[odd_at]
            total[odd_at] = np.where(boxes[:, 2] > 0, boxes[:, 0] + boxes[:, 2] - grown,
                                     -1.0)
    expected = np.asarray(sizes, dtype=np.float64)
    # An empty box (an empty mask, or runs pycocotools cannot place) says nothing about
    # the runs: those strings are measured exactly.
    doubt = np.flatnonzero((total != expected) | (area == 0) | (area > expected))
    if doubt.size == 0:
        return Measured(np.ones(n, dtype=bool), area, [""] * n)
    again = doubt.tolist()
    exact = measure([strings[i] for i in again], [sizes[i] for i in again])
    valid = np.ones(n, dtype=bool)
    problem = [""] * n
    for j, i in enumerate(doubt.tolist()):
        valid[i], area[i], problem[i] = exact.valid[j], exact.area[j], exact.problem[j]
    return Measured(valid, area, problem)


BATCH = 255
"""pycocotools 2.0.x under numpy 2 sizes its result of ``area`` from a uint8: lists of
more than 255 RLEs overflow, so they go in batches."""


def _batched(function: Any, objects: list[dict[str, Any]]) -> np.ndarray:
    parts = [np.asarray(function(objects[i:i + BATCH]))
             for i in range(0, len(objects), BATCH)]
    joined: np.ndarray = np.concatenate(parts)
    return joined.astype(np.int64) if joined.ndim == 1 else joined.astype(np.float64)
