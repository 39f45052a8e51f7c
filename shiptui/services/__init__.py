"""Services: the fulfillment rules, shared by the CLI, the TUI and the tests.

Nothing here imports Textual.
"""
