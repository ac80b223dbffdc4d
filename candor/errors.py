"""Errors that the CLI turns into a one-line message and exit code 2."""


class CandorError(Exception):
    """A problem with the user's input or environment, explained in one line."""


class CatalogError(CandorError):
    """The catalog data (or a user-supplied tracker file) is invalid."""


class InputError(CandorError):
    """An input file is missing, unreadable or not of the expected kind."""
