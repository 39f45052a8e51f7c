"""Errors that reach the operator as a message, never as a traceback."""


class ShiptuiError(Exception):
    """Base of every error shiptui reports to the operator in words."""


class RejectedInput(ShiptuiError):
    """The operator's input cannot be applied; nothing was changed (exit code 1)."""


class NotFound(RejectedInput):
    """A named campaign, order or message does not exist."""


class DatabaseUnavailable(ShiptuiError):
    """The database cannot be opened or reached."""


class BadConfiguration(ShiptuiError):
    """An environment variable or setting has a value shiptui cannot use."""
