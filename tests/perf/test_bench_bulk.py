import re

import pytest

from tests.perf import DB_ARGS, DB_IDS, run_bench


@pytest.mark.parametrize("db_args", DB_ARGS, ids=DB_IDS)
def test_bench_bulk_runs_and_prints_a_ratio_per_step(db_args):
    stdout = run_bench("bench_bulk.py", "--orders", "300", "--repeat", "1", *db_args)
    ratios = re.findall(r"ratio\s+([0-9.]+)", stdout)
    assert len(ratios) == 3 and all(float(r) > 0 for r in ratios)
