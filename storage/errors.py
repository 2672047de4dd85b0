"""Errors that storage raises for its callers to report; each names what went wrong and where."""


class StorageError(Exception):
    """A database problem the user can fix (bad URL, unreachable server); the message is user-facing."""

    def __init__(self, message: str, *, setting: str = "storage.database_url") -> None:
        super().__init__(message)
        self.setting = setting
