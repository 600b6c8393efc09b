"""Errors a user can cause, each with a Vietnamese message that says what to do.

Anything else raised from core is a bug and is shown with details and logged.
"""


class UserError(Exception):
    """An error caused by input or circumstances, not by a bug.

    ``str(err)`` is the Vietnamese message shown to the officer.
    """

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class DatabaseError(UserError):
    """The database file cannot be used as it is."""


class NewerDatabaseError(DatabaseError):
    """The file was written by a newer version of the app."""


class NotOurDatabaseError(DatabaseError):
    """The file is not a database of this app."""


class ValidationError(UserError):
    """One or more fields are invalid; ``fields`` maps field name -> message."""

    def __init__(self, fields: dict[str, str]):
        self.fields = dict(fields)
        lines = "\n".join(f"- {msg}" for msg in self.fields.values())
        super().__init__(f"Dữ liệu chưa hợp lệ:\n{lines}")


class NotFoundError(UserError):
    """A record that was asked for does not exist (any more)."""


class FileProblem(UserError):
    """A file could not be read or written (missing, locked, disk full...)."""
