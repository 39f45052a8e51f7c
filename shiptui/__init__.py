"""shiptui: the terminal fulfillment console of a product-sampling campaign."""

__version__ = "0.1.0"
