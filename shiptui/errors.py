"""Errors that reach the operator as a message, never as a traceback."""


class ShiptuiError(Exception):
    """Base of every error shiptui reports to the operator in words."""


class RejectedInput(ShiptuiError):
    """The operator's input cannot be applied; nothing was changed (exit code 1).

    Raised with one sentence, or with its two parts: `reason` (what is wrong) and `fix`
    (what to do), which a table of problems shows in two columns. The message is then
    "reason: fix"; a sentence alone is its own reason, with no fix.
    """

    def __init__(self, message: str = "", *, reason: str = "", fix: str = ""):
        self.reason = reason or message
        self.fix = fix
        super().__init__(message or (f"{reason}: {fix}" if fix else reason))


class NotFound(RejectedInput):
    """A named campaign, order or message does not exist."""


class DatabaseUnavailable(ShiptuiError):
    """The database cannot be opened or reached."""


class BadConfiguration(ShiptuiError):
    """An environment variable or setting has a value shiptui cannot use."""


class DatabaseLocked(ShiptuiError):
    """Another operator held the database's lock for longer than shiptui waits; nothing was changed."""
