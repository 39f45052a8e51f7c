import re

import pytest

from tests.perf import DB_ARGS, DB_IDS, run_bench


@pytest.mark.parametrize("db_args", DB_ARGS, ids=DB_IDS)
def test_bench_load_runs_and_prints_a_ratio_and_peak_rss(db_args):
    stdout = run_bench("bench_load.py", "--orders", "300", *db_args)
    ratio = re.search(r"^ratio: ([0-9.]+)x baseline", stdout, re.M)
    assert ratio and float(ratio.group(1)) > 0
    rss = re.search(r"^peak RSS of the load: ([0-9.]+) MB", stdout, re.M)
    assert rss and float(rss.group(1)) > 0
