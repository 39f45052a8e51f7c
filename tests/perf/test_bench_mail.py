import re
import subprocess
import sys
from pathlib import Path


def test_bench_mail_runs_and_prints_rates_and_a_ratio():
    result = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("bench_mail.py")), "--orders", "40", "--repeat", "1"],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    rates = re.findall(r"^  (?:bare smtplib loop|shiptui sender) +[0-9.]+ s +([0-9]+) /s", result.stdout, re.M)
    ratio = re.search(r"ratio\s+([0-9.]+) of the bare rate", result.stdout)
    assert len(rates) == 2 and all(int(rate) > 0 for rate in rates)
    assert ratio and float(ratio.group(1)) > 0
