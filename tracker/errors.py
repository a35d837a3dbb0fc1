"""Named errors of the library. Messages are Simplified Chinese: the UI and CLI show them as they are."""


class TrackerError(Exception):
    """Base class: every error the library raises on purpose."""


class UnsupportedDocument(TrackerError):
    """The file cannot be read: wrong type, wrong encoding, empty, corrupt, too large, scanned."""


class NotAWorkReport(TrackerError):
    """The file was read but is not a work report (no review or plan part)."""


class PermissionDenied(TrackerError):
    """The user's role does not allow this write."""


class NotFound(TrackerError):
    """An id that names no row."""


class InvalidInput(TrackerError):
    """A value typed by a user that cannot be used (text where a number is wanted, a bad date)."""


class Busy(TrackerError):
    """Another write held the database for longer than a person should wait (a lock timeout)."""

    MESSAGE = "数据库正忙，请稍后重试"

    def __init__(self, message: str = MESSAGE) -> None:
        super().__init__(message)
