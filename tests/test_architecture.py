"""The layer boundary is checked, not promised: import-linter's contracts in pyproject.toml."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_layers_point_down_and_only_the_tui_imports_textual():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_only_config_reads_the_environment():
    """One place to look for every setting: SHIPTUI_NOW, SHIPTUI_LANG and the rest are read in config.py."""
    readers = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / "shiptui").rglob("*.py"))
        if path.name != "config.py" or path.parent.name != "shiptui"
        if any(reader in path.read_text() for reader in ("os.environ", "getenv("))
    ]
    assert readers == []
