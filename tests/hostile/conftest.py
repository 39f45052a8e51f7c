"""The console's fixtures (a test app with a steady cursor) for the hostile-input tests."""

from tests.tui.conftest import make_app, snapshots_in_top_level_folder  # noqa: F401
