"""Benchmarks (bench_*.py, run by hand or `make bench`) and their smoke tests."""

import subprocess
import sys
from pathlib import Path


def run_bench(script: str, *args: str) -> str:
    """Run a benchmark script at a tiny size; its standard output, once it exited cleanly."""
    result = subprocess.run(
        [sys.executable, str(Path(__file__).with_name(script)), *args],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout
