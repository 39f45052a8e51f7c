import re

from tests.perf import run_bench


def test_bench_mail_runs_and_prints_rates_and_a_ratio():
    stdout = run_bench("bench_mail.py", "--orders", "40", "--repeat", "1")
    rates = re.findall(r"^  (?:bare smtplib loop|shiptui sender) +[0-9.]+ s +([0-9]+) /s", stdout, re.M)
    ratio = re.search(r"ratio\s+([0-9.]+) of the bare rate", stdout)
    assert len(rates) == 2 and all(int(rate) > 0 for rate in rates)
    assert ratio and float(ratio.group(1)) > 0
