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


def describe_unexpected(exc: BaseException) -> str:
    """A Vietnamese sentence for an error nobody planned for (disk full, locked file...)."""
    text = str(exc).lower()
    from core.db import is_damaged

    if is_damaged() and ("readonly" in text or "read-only" in text):
        return ("Tệp dữ liệu bị hỏng nên phần mềm chỉ cho xem, không ghi thêm. Hãy khôi phục bản sao lưu "
                "(Tệp → Khôi phục từ bản sao lưu…); dữ liệu hiện tại vẫn được giữ lại.")  # fmt: skip
    if "disk is full" in text or "no space left" in text:
        return "Ổ đĩa đã đầy nên chưa ghi được. Hãy xóa bớt tệp không cần thiết rồi thử lại; dữ liệu đã lưu trước đó vẫn còn."
    if "database is locked" in text:
        return "Tệp dữ liệu đang bị một chương trình khác dùng. Hãy đóng chương trình đó rồi thử lại."
    if "readonly" in text or "read-only" in text or "permission denied" in text:
        return "Không có quyền ghi vào thư mục dữ liệu. Hãy chọn thư mục khác hoặc nhờ cán bộ tin học cấp quyền."
    if "disk i/o error" in text or "malformed" in text:
        return "Không đọc/ghi được tệp dữ liệu (ổ đĩa lỗi hoặc tệp bị hỏng). Đừng tắt phần mềm đột ngột; hãy sao lưu thư mục dữ liệu."
    return "Đã có lỗi ngoài dự kiến. Thao tác vừa rồi chưa được thực hiện; dữ liệu đã lưu trước đó vẫn còn."
