import re

from tests.perf import run_bench


def test_bench_carriers_runs_and_prints_a_ratio():
    stdout = run_bench("bench_carriers.py", "--numbers", "300", "--runs", "1")
    ratio = re.search(r"^ratio: ([0-9.]+)x baseline", stdout, re.M)
    assert ratio and float(ratio.group(1)) > 0
    assert re.search(r"detect_carrier +[0-9.]+ s", stdout)
