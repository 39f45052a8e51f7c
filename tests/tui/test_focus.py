"""A focused control is obvious in every theme the app offers, also where a one-line
control has no room for a focus border (the import's mapping dialog)."""

from __future__ import annotations

from textual.widgets._select import SelectCurrent

from tests.tui.pilot import open_file, settle


def distance(first, second) -> float:
    """How far apart two colours look: 0 the same, about 442 black and white."""
    return sum((a - b) ** 2 for a, b in zip(first.rgb, second.rgb)) ** 0.5


async def test_the_focused_field_of_the_mapping_dialog_stands_out_in_every_theme(campaign, make_app, tmp_path,
                                                                                 monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "ups.csv").write_text("Order ID,Ship Date,Shipping Carrier,Tracking #\n"
                                      "SO-1,03/14/2026,UPS,1Z999AA10123456784\n")
    app = make_app(campaign)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_file(pilot, "ups.csv")
        fields = list(app.screen.query(SelectCurrent))
        assert fields[0].parent.has_focus
        for theme in app.available_themes:
            app.theme = theme
            await settle(pilot)
            focused, other = (field.background_colors[1] for field in fields[:2])
            assert distance(focused, other) > 60, (theme, focused, other)
