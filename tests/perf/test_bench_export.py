import re

from tests.perf import run_bench


def test_bench_export_runs_and_prints_a_ratio():
    stdout = run_bench("bench_export.py", "--orders", "300", "--runs", "1")
    ratio = re.search(r"^ratio: ([0-9.]+)x baseline", stdout, re.M)
    assert ratio and float(ratio.group(1)) > 0
