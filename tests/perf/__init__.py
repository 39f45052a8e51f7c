"""Benchmarks (bench_*.py, run by hand or `make bench`) and their smoke tests."""

import multiprocessing
import os
import subprocess
import sys
from pathlib import Path


# The --db arguments a smoke test runs a benchmark with: SQLite, then PostgreSQL when a
# test server is named (as for the storage tests).
DB_ARGS = [()] + ([("--db", os.environ["SHIPTUI_TEST_PG_URL"])] if os.environ.get("SHIPTUI_TEST_PG_URL") else [])
DB_IDS = ["sqlite", "postgres"][:len(DB_ARGS)]


def run_bench(script: str, *args: str) -> str:
    """Run a benchmark script at a tiny size; its standard output, once it exited cleanly."""
    result = subprocess.run(
        [sys.executable, str(Path(__file__).with_name(script)), *args],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def peak_rss(work, *args) -> float:
    """MB of resident memory at the peak of `work(*args)`, run in a fresh process: Python,
    its modules and the work, not the benchmark's own memory."""
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_measured, args=(work, args, sender))
    child.start()
    sender.close()  # the child's copy is the only one left: recv() ends if the child fails
    try:
        peak = receiver.recv()
    except EOFError:
        peak = None
    child.join()
    assert child.exitcode == 0 and peak is not None, child.exitcode
    return peak


def _measured(work, args, sender) -> None:
    """In the child: the work, then the peak of its own memory (Linux: VmHWM). Not
    ru_maxrss, which counts the benchmark the child was forked from before it ran Python
    (a benchmark that built 100,000 orders through COPY seemed to export in 140 MB, not 55)."""
    work(*args)
    status = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines())
    sender.send(int(status["VmHWM"].split()[0]) / 1024)  # kB
