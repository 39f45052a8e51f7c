"""Benchmark: peak memory of the CLI listings (`orders`, `orders --json`, `mail list`, ...)
on a big campaign, against a bare baseline (the interpreter with the CLI imported) measured
in the same run. Listings stream their rows, so their peak must not grow with the campaign.

    .venv/bin/python tests/perf/bench_listings.py [--orders N] [--db PATH]

Each listing runs in its own child process (output thrown away); its peak RSS comes from
the kernel's accounting of that child (wait4). Target: under 150 MB at 1,000,000 orders.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TARGET_MB = 150


def peak_of(command: list[str]) -> tuple[float, float]:
    """Run `command`; its peak resident memory in MB and its wall time in seconds."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    error = process.stderr.read().decode()
    process.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command)} failed: {error}")
    return usage.ru_maxrss / 1024, seconds  # ru_maxrss is in KiB on Linux


def shiptui(db: str, *args: str) -> list[str]:
    return [sys.executable, "-m", "shiptui", "--db", db, *args]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=2000, help="orders in the demo campaign (default 2000)")
    parser.add_argument("--db", help="a database to use (its demo campaign is built if missing); default: a temporary file")
    args = parser.parse_args()
    os.environ.setdefault("SHIPTUI_NOW", "2026-03-16T10:30:00+01:00")
    with tempfile.TemporaryDirectory() as folder:
        db = args.db or os.path.join(folder, "bench.sqlite3")
        subprocess.run(shiptui(db, "demo", "--orders", str(args.orders), "--no-open"),
                       cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        slug = "demo-winter-skincare-sampling"
        bare, _ = peak_of([sys.executable, "-c", "import shiptui.cli, shiptui.services.outbox"])
        print(f"peak memory of each listing of a {args.orders}-order campaign (target under {TARGET_MB} MB)")
        print(f"  {'baseline: python + shiptui imported':<36} {bare:7.1f} MB")
        for name, command in (
            ("campaigns", ("campaigns",)),
            ("orders", ("orders", slug)),
            ("orders --json", ("orders", slug, "--json")),
            ("mail list", ("mail", "list")),
            ("mail list --json", ("mail", "list", "--json")),
        ):
            peak, seconds = peak_of(shiptui(db, *command))
            print(f"  {name:<36} {peak:7.1f} MB  {peak / bare:5.2f}x baseline  {seconds:7.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
