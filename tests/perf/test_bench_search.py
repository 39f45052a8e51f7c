import re

from tests.perf import run_bench


def test_bench_search_runs_and_prints_times_and_ratios():
    stdout = run_bench("bench_search.py", "--orders", "300")
    rows = re.findall(r"^  ('.+?'|\".+?\"|End: the last window) +([0-9.]+)ms +([0-9.]+)ms +([0-9.]+)", stdout, re.M)
    assert len(rows) == 8, stdout
    assert all(float(ours) > 0 and float(ratio) > 0 for _, ours, _, ratio in rows)
    assert re.search(r"peak RSS [0-9]+ MB", stdout)
