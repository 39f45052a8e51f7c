"""Benchmark: telling the carrier of 100,000 tracking numbers by format and check digit,
against a bare loop of one regular expression over the same numbers, in the same run.

    .venv/bin/python tests/perf/bench_carriers.py [--numbers N]

Prints the time of each (target for the detection: under 1 s for 100,000 numbers) and
their ratio.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from shiptui.services.carriers import detect_carrier  # noqa: E402

_DIGITS = "0123456789"
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _random(chars: str, count: int, rng: random.Random) -> str:
    return "".join(rng.choice(chars) for _ in range(count))


# The shapes operators paste, half of them a valid number and half one digit off.
_SHAPES = (
    lambda rng: "1Z" + _random(_DIGITS + _LETTERS, 6, rng) + "03" + _random(_DIGITS, 8, rng),
    lambda rng: "9400" + _random(_DIGITS, 18, rng),
    lambda rng: "420" + _random(_DIGITS, 5, rng) + "9400" + _random(_DIGITS, 18, rng),
    lambda rng: _random(_DIGITS, 12, rng),
    lambda rng: "00340434" + _random(_DIGITS, 12, rng),
    lambda rng: _random(_DIGITS, 10, rng),
    lambda rng: _random(_DIGITS, 14, rng),
    lambda rng: _random(_LETTERS, 2, rng) + _random(_DIGITS, 9, rng) + rng.choice(("DE", "AT", "GB", "US")),
    lambda rng: "TBA" + _random(_DIGITS, 12, rng),
    lambda rng: "JJD" + _random(_DIGITS, 13, rng),
)


def numbers(count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    return [rng.choice(_SHAPES)(rng) for _ in range(count)]


def best_of(runs: int, work) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--numbers", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3, help="runs of each; the best counts")
    args = parser.parse_args()
    sample = numbers(args.numbers)
    plain = re.compile(r"[0-9A-Z]{6,40}")

    bare = best_of(args.runs, lambda: [plain.fullmatch(number) for number in sample])
    told = best_of(args.runs, lambda: [detect_carrier(number) for number in sample])
    named = sum(1 for number in sample if detect_carrier(number).carrier)
    print(f"carrier detection of {args.numbers} numbers ({named} told apart, the rest ambiguous or unknown)")
    print(f"  {'baseline: one regex per number':<40} {bare:7.3f} s")
    print(f"  {'detect_carrier':<40} {told:7.3f} s (target < 1 s per 100,000)")
    print(f"ratio: {told / bare:.2f}x baseline")
    return 0


if __name__ == "__main__":
    sys.exit(main())
