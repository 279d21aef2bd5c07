"""Time the matching engine beside the `matching` package on generated instances
(``make bench-matching``; ``--help`` explains the options).

Each instance has participants choosing 10 postings each, best first, and one posting per 5
participants with 5 places, in two shapes:

    uniform  every participant chooses postings uniformly at random; each posting ranks its
             applicants in a random order
    skewed   posting popularity follows a power law (Zipf, exponent 1): a few postings get most
             applications; each posting ranks its applicants by a score they share everywhere
             plus some noise of its own

Every posting ranks all its applicants, so every choice is an acceptable pair. Instances are
generated with NumPy from --seed; the same seed gives the same instances.

For each shape and size the table gives:

    engine, arrays   match_indices on FlatLists, the form large callers use (best of 5 runs
                     up to 40,000 participants, of 3 at 100,000, one run above)
    peak             tracemalloc's peak during one more such run: the memory the engine
                     allocates (NumPy arrays included), not counting the instance it is given
    engine, dicts    stable_matching on dicts of int keys, as the site calls it (up to 100,000:
                     above, building the dicts would take longer than matching them)
    package          the `matching` package's public API on the same dicts (mutually
                     acceptable pairs only, as it requires): create_from_dictionaries and
                     solve(optimal="resident"), one run, up to 20,000 participants
    package / dicts  how many times faster the engine is, both taking and giving dicts
    same result      whether the package and the engine give the same matching (where the
                     package is skipped: whether the engine's two forms agree)

Then the targets beside what was measured, and a line naming the machine. The table is
Markdown, to paste into the README; progress goes to standard error.
"""

from __future__ import annotations

import argparse
import itertools
import os
import platform
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import numpy as np
from matching.games import HospitalResident

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from marketplace.matching.engine import FlatLists, match_indices, stable_matching  # noqa: E402

DEFAULT_SIZES = [1_000, 10_000, 20_000, 40_000, 100_000, 1_000_000]
DEFAULT_SEED = 2026
SHAPES = ["uniform", "skewed"]
CHOICES = 10  # postings each participant ranks
PLACES = 5  # places per posting, and participants per posting
ZIPF_EXPONENT = 1.0
SCORE_NOISE = 0.5  # a posting's own noise beside the shared score's spread of 1
# The package takes 12 to 25 s at 10,000 participants and 85 to 145 s at 20,000 on the 2-core
# machine, six to seven times as long for twice as many: at 40,000 it would take over ten
# minutes.
PACKAGE_LARGEST = 20_000
DICTS_LARGEST = 100_000
MIB = 1024 * 1024

# The engine's targets.
TARGET_SECONDS = {40_000: 0.15, 100_000: 0.6, 1_000_000: 8.0}
TARGET_PEAK_MIB = {1_000_000: 1024}
TARGET_SPEEDUP = {20_000: 100}


@dataclass
class Instance:
    shape: str
    participants: int
    choices: FlatLists
    rankings: FlatLists
    capacities: np.ndarray

    def as_dicts(self) -> tuple[dict[int, list[int]], dict[int, list[int]], dict[int, int]]:
        """Participants' choices, postings' rankings (postings nobody chose left out: the
        package refuses empty lists) and capacities, keyed by index."""
        choices = _split(self.choices)
        rankings = {h: ranked for h, ranked in enumerate(_split(self.rankings)) if ranked}
        return (
            dict(enumerate(choices)),
            rankings,
            {h: int(self.capacities[h]) for h in rankings},
        )


@dataclass
class Row:
    shape: str
    participants: int
    arrays_seconds: float
    peak_mib: float
    dicts_seconds: float | None = None
    package_seconds: float | None = None
    same_result: bool | None = None
    compared_with_package: bool = False

    @property
    def speedup(self) -> float | None:
        if self.package_seconds is None or self.dicts_seconds is None:
            return None
        return self.package_seconds / self.dicts_seconds


def _split(lists: FlatLists) -> list[list[int]]:
    items, offsets = lists.items.tolist(), lists.offsets.tolist()
    return [items[start:end] for start, end in itertools.pairwise(offsets)]


# Generating ---------------------------------------------------------------------------------------


def generate(shape: str, participants: int, rng: np.random.Generator) -> Instance:
    postings = participants // PLACES
    if shape == "uniform":
        chosen = distinct_rows(lambda size: rng.integers(0, postings, size), participants)
        scores = rng.random(chosen.size)
    else:
        chosen = distinct_rows(popularity_draw(postings, rng), participants)
        shared = rng.standard_normal(participants)
        scores = np.repeat(shared, CHOICES) + SCORE_NOISE * rng.standard_normal(chosen.size)
    choices = FlatLists(np.arange(0, chosen.size + 1, CHOICES), chosen.reshape(-1))
    rankings = rank_applicants(choices.items, scores, participants, postings)
    return Instance(shape, participants, choices, rankings, np.full(postings, PLACES))


def popularity_draw(postings: int, rng: np.random.Generator) -> Callable[[int], np.ndarray]:
    """Draws postings with probability proportional to 1 / (popularity rank) ** exponent, the
    most popular ones spread at random over the posting numbers."""
    weights = 1.0 / np.arange(1, postings + 1) ** ZIPF_EXPONENT
    cumulative = np.cumsum(weights) / weights.sum()
    by_popularity = rng.permutation(postings)

    def draw(size: int) -> np.ndarray:
        picked = np.searchsorted(cumulative, rng.random(size), side="right")
        return by_popularity[np.minimum(picked, postings - 1)]

    return draw


def distinct_rows(draw: Callable[[int], np.ndarray], participants: int) -> np.ndarray:
    """One row of CHOICES postings per participant, in the order drawn, none twice in a row:
    repeats are drawn again until there are none (a few rounds, even for the most popular)."""
    chosen = draw(participants * CHOICES).reshape(participants, CHOICES)
    while True:
        order = np.argsort(chosen, axis=1, kind="stable")
        ordered = np.take_along_axis(chosen, order, axis=1)
        repeat_in_order = np.zeros_like(chosen, dtype=bool)
        repeat_in_order[:, 1:] = ordered[:, 1:] == ordered[:, :-1]
        if not repeat_in_order.any():
            return chosen
        repeats = np.zeros_like(repeat_in_order)
        np.put_along_axis(repeats, order, repeat_in_order, axis=1)
        chosen[repeats] = draw(int(repeats.sum()))


def rank_applicants(
    chosen: np.ndarray, scores: np.ndarray, participants: int, postings: int
) -> FlatLists:
    """Each posting's applicants, best score first. Posting, inverted score (quantised to the
    bits left) and participant are packed into one integer: one sort of plain integers is
    several times faster than sorting by two keys."""
    participant_bits = participants.bit_length()
    score_bits = 62 - participant_bits - postings.bit_length()
    span = np.ptp(scores) or 1.0
    inverted = ((scores.max() - scores) / span * ((1 << score_bits) - 1)).astype(np.int64)
    applicant = np.repeat(np.arange(participants, dtype=np.int64), CHOICES)
    packed = (chosen << (score_bits + participant_bits)) | (inverted << participant_bits)
    packed = np.sort(packed | applicant)
    offsets = np.zeros(postings + 1, dtype=np.int64)
    np.cumsum(np.bincount(chosen, minlength=postings), out=offsets[1:])
    return FlatLists(offsets, packed & ((1 << participant_bits) - 1))


# Measuring ----------------------------------------------------------------------------------------


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def best_seconds(run: Callable[[], object], repeats: int) -> tuple[float, object]:
    best, answer = float("inf"), None
    for _ in range(repeats):
        started = time.perf_counter()
        answer = run()
        best = min(best, time.perf_counter() - started)
    return best, answer


def peak_mib(run: Callable[[], object]) -> float:
    """tracemalloc's peak during the run: what it allocates, NumPy's arrays included."""
    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1] / MIB
    finally:
        tracemalloc.stop()


def repeats_for(participants: int) -> int:
    return 5 if participants <= 40_000 else 3 if participants <= 100_000 else 1


def package_matching(
    choices: dict, rankings: dict, capacities: dict
) -> tuple[float, dict[int, int]]:
    # It deep-copies its web of players, one nested call per link.
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 1_000_000))
    started = time.perf_counter()
    game = HospitalResident.create_from_dictionaries(choices, rankings, capacities)
    solved = game.solve(optimal="resident")
    seconds = time.perf_counter() - started
    return seconds, {r.name: h.name for h, held in solved.items() for r in held}


def measure(instance: Instance) -> Row:
    label = f"{instance.shape}, {instance.participants:,}"
    repeats = repeats_for(instance.participants)
    progress(f"  {label}: engine on arrays, best of {repeats} …")
    seconds, assigned = best_seconds(
        lambda: match_indices(instance.choices, instance.rankings, instance.capacities), repeats
    )
    progress(f"  {label}: engine on arrays {seconds:.3f} s; its peak memory …")
    peak = peak_mib(lambda: match_indices(instance.choices, instance.rankings, instance.capacities))
    row = Row(instance.shape, instance.participants, seconds, peak)
    if instance.participants > DICTS_LARGEST:
        return row
    choices, rankings, capacities = instance.as_dicts()
    row.dicts_seconds, matching = best_seconds(
        lambda: stable_matching(choices, rankings, capacities), repeats
    )
    ours = matching.assignments
    from_arrays = {p: h for p, h in enumerate(assigned.tolist()) if h >= 0}
    row.same_result = ours == from_arrays
    progress(f"  {label}: engine on dicts {row.dicts_seconds:.3f} s")
    if instance.participants <= PACKAGE_LARGEST:
        progress(f"  {label}: the matching package …")
        row.package_seconds, theirs = package_matching(choices, rankings, capacities)
        row.same_result = row.same_result and ours == theirs
        row.compared_with_package = True
        progress(f"  {label}: the matching package {row.package_seconds:.1f} s")
    return row


# Reporting ----------------------------------------------------------------------------------------


def seconds_text(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    return f"{seconds:.1f}" if seconds >= 10 else f"{seconds:.3f}"


def mib_text(mib: float) -> str:
    return f"{mib:,.0f}" if mib >= 10 else f"{mib:.1f}"


def results_table(rows: list[Row]) -> list[str]:
    lines = [
        "| Shape | Participants | Engine, arrays (s) | Peak (MiB) | Engine, dicts (s) "
        "| `matching` package (s) | Package ÷ dicts | Same result |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for row in rows:
        if row.package_seconds is not None:
            package = seconds_text(row.package_seconds)
        elif row.participants > PACKAGE_LARGEST:
            package = "skipped (would take over 2 minutes)"
        else:
            package = "—"
        speedup = f"{row.speedup:,.0f}×" if row.speedup else "—"
        if row.same_result is None:
            same = "—"
        elif row.compared_with_package:
            same = "yes" if row.same_result else "NO"
        else:
            same = "arrays = dicts" if row.same_result else "NO (arrays ≠ dicts)"
        lines.append(
            f"| {row.shape} | {row.participants:,} | {seconds_text(row.arrays_seconds)} "
            f"| {mib_text(row.peak_mib)} | {seconds_text(row.dicts_seconds)} | {package} "
            f"| {speedup} | {same} |"
        )
    return lines


def target_lines(rows: list[Row]) -> list[str]:
    lines = ["| Target | Measured | Met |", "| --- | --- | --- |"]

    def add(
        target: str,
        size: int,
        value: Callable[[Row], float | None],
        text: Callable[[float], str],
        met: Callable[[float], bool],
    ) -> None:
        values = [(row.shape, value(row)) for row in rows if row.participants == size]
        values = [(shape, v) for shape, v in values if v is not None]
        if not values:
            lines.append(f"| {target} | not run | — |")
            return
        measured = ", ".join(f"{text(v)} {shape}" for shape, v in values)
        verdict = "yes" if all(met(v) for _, v in values) else "NO"
        lines.append(f"| {target} | {measured} | {verdict} |")

    for size, limit in TARGET_SECONDS.items():
        add(
            f"{size:,} participants in ≤ {limit} s (arrays)",
            size,
            lambda row: row.arrays_seconds,
            lambda v: f"{v:.3f} s",
            lambda v, limit=limit: v <= limit,
        )
    for size, limit in TARGET_PEAK_MIB.items():
        add(
            f"{size:,} participants in ≤ {limit:,} MiB peak",
            size,
            lambda row: row.peak_mib,
            lambda v: f"{v:,.0f} MiB",
            lambda v, limit=limit: v <= limit,
        )
    for size, factor in TARGET_SPEEDUP.items():
        add(
            f"≥ {factor}× the package's speed at {size:,} (dicts)",
            size,
            lambda row: row.speedup,
            lambda v: f"{v:,.0f}×",
            lambda v, factor=factor: v >= factor,
        )
    return lines


def machine_line() -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (
        f"Machine: {cpu}, {cores} cores; Python {platform.python_version()}, "
        f"NumPy {np.__version__}, matching {version('matching')}."
    )


# Running ------------------------------------------------------------------------------------------


def parse_sizes(text: str) -> list[int]:
    sizes = [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
    if any(size < PLACES * CHOICES for size in sizes):
        raise argparse.ArgumentTypeError(
            f"each size needs at least {PLACES * CHOICES} participants "
            f"(to have {CHOICES} postings to choose from)"
        )
    return sizes


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Time the matching engine beside the matching package and print a "
        "Markdown table with the targets.",
        epilog="Example: make bench-matching BENCH_ARGS='--sizes 1000,10000'",
    )
    parser.add_argument(
        "--sizes",
        type=parse_sizes,
        default=DEFAULT_SIZES,
        help="participants per instance, comma-separated (default: "
        + ",".join(map(str, DEFAULT_SIZES))
        + f"); the package runs up to {PACKAGE_LARGEST:,}",
    )
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    rows = []
    for size in args.sizes:
        for index, shape in enumerate(SHAPES):
            started = time.perf_counter()
            progress(f"{shape}, {size:,} participants: generating …")
            instance = generate(shape, size, np.random.default_rng([args.seed, size, index]))
            progress(f"  generated in {time.perf_counter() - started:.1f} s")
            rows.append(measure(instance))
    print("\n".join(results_table(rows)))
    print()
    print("\n".join(target_lines(rows)))
    print()
    print(
        f"{CHOICES} choices per participant, {PLACES} places per posting, one posting per "
        f"{PLACES} participants; seed {args.seed}. Peak: tracemalloc's peak during one run on "
        "arrays (what the engine allocates, not the instance it is given)."
    )
    print(machine_line())


if __name__ == "__main__":
    main()
