"""The order table's columns and how they fit a terminal's width: pure functions, no widget.

At 80 columns each column has its natural width; narrower, columns shrink and then go
in a fixed order; wider, they grow towards what their values need.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size

from shiptui.i18n import N_, _
from shiptui.services.carriers import carrier_names


@dataclass(frozen=True)
class Column:
    """A column's widths: `natural` at 80 columns, never below `minimum`; on a wider
    terminal it grows to `usual` (what most of its values need), then to `longest`."""

    key: str
    title: str
    natural: int
    minimum: int
    usual: int = 0
    longest: int = 0


# What the Carrier column holds: a known carrier's name, mostly "DHL Express" or shorter.
LONGEST_CARRIER = max(cell_len(name) for name in carrier_names())
CHECK_COLUMN = Column("check", N_("Sel"), 3, 3)
COLUMNS = (
    Column("order_id", N_("Order ID"), 10, 8),
    Column("member", N_("Member"), 22, 16, usual=22, longest=32),
    Column("product", N_("Product"), 22, 10, usual=26, longest=40),
    Column("shipped", N_("Shipped"), 10, 10),
    Column("mail", N_("Mail"), 7, 7),
    Column("carrier", N_("Carrier"), 9, 7, usual=cell_len("DHL Express"), longest=LONGEST_CARRIER),
    # UPS 18, USPS 22; FedEx's longest numbers have 34 digits.
    Column("tracking", N_("Tracking no."), 22, 14, usual=22, longest=34),
    CHECK_COLUMN,  # at the right end of each row, as on the help page
)
# When the width runs short: columns shrink in this order, then whole columns go in this
# order. Order ID, Member, Shipped and the check box always stay.
SHRINK_ORDER = ("product", "tracking", "member", "carrier")
DROP_ORDER = ("carrier", "product", "tracking", "mail")
# Width beyond every column's longest: for the free text of names and products.
FREE_TEXT = ("member", "product")


def wont_ship_word() -> str:
    """What the Shipped column says of an order that won't ship (the help page's words)."""
    return _("Won't ship")


def _spoken(column: Column, order_id_width: int) -> Column:
    """The column with its title in the operator's language, never narrower than the
    title, nor than its longest word (an ID, a date or "won't ship" is never cut)."""
    title = _(column.title)
    natural, minimum = column.natural, column.minimum
    if column.key == "order_id":
        natural = order_id_width
    elif column.key == "shipped":
        minimum = max(minimum, cell_len(wont_ship_word()))
    minimum = max(minimum, cell_len(title))
    natural = max(natural, minimum)
    usual = max(column.usual, natural)
    return Column(column.key, title, natural, minimum, usual, max(column.longest, usual))


def _share(spare: int, widths: dict[str, int], wanted: dict[str, int]) -> int:
    """Widen columns towards `wanted` with `spare` cells, the column lacking least first
    (so as many as possible show their values whole), the rest evenly; returns what is left."""
    lacking = sorted((wanted[key] - widths[key], key) for key in wanted if wanted[key] > widths[key])
    for position, (lack, key) in enumerate(lacking):
        share = min(lack, spare // (len(lacking) - position))
        widths[key] += share
        spare -= share
    return spare


def layout(width: int, order_id_width: int) -> list[tuple[Column, int]]:
    """The columns that fit `width` cells, with their widths (one space between)."""
    columns = [_spoken(c, order_id_width) for c in COLUMNS]
    for dropped in range(len(DROP_ORDER) + 1):
        shown = [c for c in columns if c.key not in DROP_ORDER[:dropped]]
        widths = {c.key: c.natural for c in shown}
        excess = sum(widths.values()) + len(shown) - width
        for key in SHRINK_ORDER:
            if key in widths and excess > 0:
                minimum = next(c.minimum for c in shown if c.key == key)
                cut = min(excess, widths[key] - minimum)
                widths[key] -= cut
                excess -= cut
        if excess <= 0:
            spare = -excess
            for tier in ("usual", "longest"):
                spare = _share(spare, widths, {c.key: getattr(c, tier) for c in shown})
            _share(spare, widths, {key: widths[key] + spare for key in FREE_TEXT if key in widths})
            return [(c, widths[c.key]) for c in shown]
    return [(c, widths[c.key]) for c in shown]


def fit(text: str, width: int) -> str:
    """`text` in exactly `width` cells, its end cut to "…" when longer."""
    if cell_len(text) > width:
        return set_cell_size(text, width - 1) + "…"
    return set_cell_size(text, width)
