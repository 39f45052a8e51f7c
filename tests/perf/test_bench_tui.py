import re
import subprocess
import sys
from pathlib import Path


def test_bench_tui_runs_and_prints_the_ratio_and_every_target():
    result = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("bench_tui.py")), "--orders", "300", "--repeat", "1"],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    ratio = re.search(r"ratio ([0-9.]+)", result.stdout)
    assert ratio and float(ratio.group(1)) > 0
    for step in ("cursor down", "toggle a row", "search keystroke", "select all (300)", "mark 300 shipped", "peak memory"):
        assert step in result.stdout, result.stdout
