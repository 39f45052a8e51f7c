import re

from tests.perf import run_bench


def test_bench_bulk_runs_and_prints_a_ratio_per_step():
    stdout = run_bench("bench_bulk.py", "--orders", "300", "--repeat", "1")
    ratios = re.findall(r"ratio\s+([0-9.]+)", stdout)
    assert len(ratios) == 2 and all(float(r) > 0 for r in ratios)
