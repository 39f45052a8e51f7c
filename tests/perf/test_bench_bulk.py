import re
import subprocess
import sys
from pathlib import Path


def test_bench_bulk_runs_and_prints_a_ratio_per_step():
    result = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("bench_bulk.py")), "--orders", "300", "--repeat", "1"],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    ratios = re.findall(r"ratio\s+([0-9.]+)", result.stdout)
    assert len(ratios) == 2 and all(float(r) > 0 for r in ratios)
