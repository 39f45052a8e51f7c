import re

from tests.perf import run_bench


def test_bench_history_runs_and_prints_a_ratio():
    stdout = run_bench("bench_history.py", "--orders", "300", "--actions", "30", "--runs", "1")
    ratio = re.search(r"^ratio: ([0-9.]+)x baseline", stdout, re.M)
    assert ratio and float(ratio.group(1)) > 0
    assert re.search(r"^history of SO-100007: [0-9]+ changes", stdout, re.M)
