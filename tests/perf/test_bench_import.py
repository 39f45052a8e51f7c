import re

import pytest

from tests.perf import DB_ARGS, DB_IDS, run_bench


@pytest.mark.parametrize("db_args", DB_ARGS, ids=DB_IDS)
def test_bench_import_runs_and_prints_a_ratio(db_args):
    stdout = run_bench("bench_import.py", "--orders", "300", "--runs", "1", *db_args)
    ratio = re.search(r"^ratio: ([0-9.]+)x baseline", stdout, re.M)
    assert ratio and float(ratio.group(1)) > 0
    memory = re.search(r"^peak memory of the import: ([0-9.]+) MB", stdout, re.M)
    assert memory and float(memory.group(1)) > 0
    rejected = re.search(r"^peak RSS of a rejected import: ([0-9.]+) MB", stdout, re.M)
    assert rejected and float(rejected.group(1)) > 0
