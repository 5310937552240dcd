"""Benchmark of kzresearch.allocation.allocate_batch (a script, not a test).

    .venv/bin/python benchmarks/allocation.py [--elections 1000000] [--sample 2000]

Random 5-party elections shaped like the 2021 Mazhilis vote (Dirichlet shares with means
71/11/9/5/4 %, 6-8 million valid votes), fixed seed, 98 seats, 7% threshold. Prints one table:

- the time of ``allocate_batch`` on every election (best of three calls, and the first call,
  which also pays for the operating system handing over fresh memory);
- the time of the same work done by looping the ``apportionment`` package over a sample of the
  elections (best of three loops), per election, and the speed-up of ``allocate_batch`` over
  it (best against best); how many sampled elections the two agree on;
- memory: the peak of numpy allocations during one ``allocate_batch`` call (tracemalloc), and
  the peak resident memory of a fresh process that builds the elections and allocates them
  (``resource.getrusage`` maxrss, which includes the interpreter and the input).

Targets (issue 3): hare under 1 s and dhondt about 2 s for 1,000,000 elections; at least 100
times faster than the apportionment loop; peak memory under 1 GB.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time
import tracemalloc

import numpy as np

from kzresearch.allocation import allocate_batch

SEED = 20210110
SEATS = 98
THRESHOLD = 0.07
METHODS = {"hare": "largest_remainder", "dhondt": "dhondt"}  # ours -> apportionment's name


def elections(count: int, seed: int = SEED) -> np.ndarray:
    """``count`` random 5-party elections (int64 votes)."""
    rng = np.random.default_rng(seed)
    shares = rng.dirichlet([20.0, 3.0, 2.5, 1.5, 1.0], size=count)
    totals = rng.integers(6_000_000, 8_000_000, size=count)
    return np.floor(shares * totals[:, None]).astype(np.int64)


def time_batch(votes: np.ndarray, method: str) -> tuple[float, float, np.ndarray]:
    """(first call, best of three) seconds, and the seats."""
    times = []
    for _ in range(3):
        start = time.perf_counter()
        seats = allocate_batch(votes, SEATS, method=method, threshold=THRESHOLD)
        times.append(time.perf_counter() - start)
    return times[0], min(times), seats


def traced_peak(votes: np.ndarray, method: str) -> float:
    """Peak MB of Python and numpy allocations during one call."""
    tracemalloc.start()
    allocate_batch(votes, SEATS, method=method, threshold=THRESHOLD)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def time_apportionment(sample: np.ndarray, name: str) -> tuple[float, list[list[int]]]:
    """Best of three loops of the apportionment package over ``sample`` (seconds), and the seats."""
    import apportionment.methods as app

    rows = [row.tolist() for row in sample]
    times = []
    for _ in range(3):
        start = time.perf_counter()
        seats = [app.compute(name, row, SEATS, threshold=THRESHOLD) for row in rows]
        times.append(time.perf_counter() - start)
    return min(times), seats


def resident_peak(count: int) -> float:
    """Peak resident MB of a fresh process that builds ``count`` elections and allocates them
    by every benchmarked method."""
    done = subprocess.run(
        [sys.executable, __file__, "--elections", str(count), "--resident-child"],
        capture_output=True,
        text=True,
        check=True,
    )
    return float(done.stdout.strip())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--elections", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=2_000)
    parser.add_argument("--resident-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    votes = elections(args.elections)
    if args.resident_child:
        for method in METHODS:
            allocate_batch(votes, SEATS, method=method, threshold=THRESHOLD)
        print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)  # KiB on Linux
        return 0

    sample = votes[: args.sample]
    print(
        f"allocate_batch: {args.elections:,} elections x {votes.shape[1]} parties, {SEATS} seats, "
        f"{THRESHOLD:.0%} threshold, seed {SEED}; apportionment {args.sample:,}-election sample"
    )
    header = (
        "method",
        "first (s)",
        "best (s)",
        "per election",
        "apportionment",
        "per election",
        "speed-up",
        "agree",
        "traced peak",
    )
    rows = [header]
    for method, name in METHODS.items():
        first, best, seats = time_batch(votes, method)
        loop, theirs = time_apportionment(sample, name)
        agree = sum(list(map(int, ours)) == list(t) for ours, t in zip(seats[: args.sample], theirs))
        ours_each, theirs_each = best / args.elections, loop / args.sample
        rows.append(
            (
                method,
                f"{first:.3f}",
                f"{best:.3f}",
                f"{ours_each * 1e6:.2f} us",
                f"{loop:.2f} s",
                f"{theirs_each * 1e6:.0f} us",
                f"{theirs_each / ours_each:,.0f}x",
                f"{agree}/{args.sample}",
                f"{traced_peak(votes, method):.0f} MB",
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    for r in rows:
        print("  ".join(cell.rjust(w) if i else cell.ljust(w) for i, (cell, w) in enumerate(zip(r, widths))))
    print(
        f"input array: {votes.nbytes / 2**20:.0f} MB; peak resident memory of a process building "
        f"and allocating it by {' and '.join(METHODS)}: {resident_peak(args.elections):.0f} MB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
