import re
import subprocess
import sys
from pathlib import Path


def test_bench_export_runs_and_prints_a_ratio():
    result = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("bench_export.py")), "--orders", "300", "--runs", "1"],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    ratio = re.search(r"^ratio: ([0-9.]+)x baseline", result.stdout, re.M)
    assert ratio and float(ratio.group(1)) > 0
