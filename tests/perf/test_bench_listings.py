import re

from tests.perf import run_bench


def test_bench_listings_runs_and_prints_each_listings_peak_memory():
    stdout = run_bench("bench_listings.py", "--orders", "300")
    peaks = re.findall(r"^  (.+?) +([0-9.]+) MB +([0-9.]+)x baseline", stdout, re.M)
    assert [name for name, _, _ in peaks] == [
        "campaigns", "orders", "orders --json", "mail list", "mail list --json",
    ]
    assert all(float(ratio) > 0 for _, _, ratio in peaks)
