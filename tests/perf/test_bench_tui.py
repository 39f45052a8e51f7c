import re

from tests.perf import run_bench


def test_bench_tui_runs_and_prints_the_ratio_and_every_target():
    stdout = run_bench("bench_tui.py", "--orders", "300", "--repeat", "1")
    ratio = re.search(r"ratio ([0-9.]+)", stdout)
    assert ratio and float(ratio.group(1)) > 0
    for step in ("cursor down", "toggle a row", "search keystroke", "select all (300)", "mark 300 shipped", "peak memory"):
        assert step in stdout, stdout
