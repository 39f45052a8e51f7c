import re

import pytest

from tests.perf import DB_ARGS, DB_IDS, run_bench


@pytest.mark.parametrize("db_args", DB_ARGS, ids=DB_IDS)
def test_bench_search_runs_and_prints_times_and_ratios(db_args):
    stdout = run_bench("bench_search.py", "--orders", "300", *db_args)
    rows = re.findall(r"^  ('.+?'|\".+?\"|End: the last window) +([0-9.]+)ms +([0-9.]+)ms +([0-9.]+)", stdout, re.M)
    assert len(rows) == 11, stdout  # 9 searches, a tracking number, End
    assert all(float(ours) > 0 and float(ratio) > 0 for _, ours, _, ratio in rows)
    assert re.search(r"peak RSS [0-9]+ MB", stdout)
