"""The columns of the activity log as an Excel sheet: one list for import, export and the template.

Each column has the header the app writes (export, import template) and the header
variants officers' own sheets use, folded (core.text.fold: no tone marks, đ -> d,
lower case, punctuation as spaces) so "Kinh phí (đồng)", "KINH PHI" and
"kinh phí(đ)" all match. The app's own headers always match, so an exported sheet
imports back as it is.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.text import fold


@dataclass(frozen=True)
class Column:
    key: str  # the activity field ("" for a column that is read but not stored, like STT)
    header: str  # as the app writes it
    variants: tuple[str, ...] = ()  # other headers officers use (any spelling; folded on use)
    width: float = 14
    imported: bool = True  # read back on import


COLUMNS: list[Column] = [
    Column("row_number", "STT", ("TT", "Số TT", "Số thứ tự"), 6, imported=False),
    Column("date_from", "Ngày", ("Ngày thực hiện", "Thời gian", "Thời gian thực hiện", "Ngày tổ chức",
                                 "Ngày bắt đầu", "Từ ngày", "Ngày đăng", "Ngày phát"), 12),  # fmt: skip
    Column("date_to", "Đến ngày", ("Ngày kết thúc",), 12),
    Column("unit", "Đơn vị", ("Đơn vị thực hiện", "Cơ quan, đơn vị", "Cơ quan thực hiện", "Đơn vị tổ chức"), 22),
    Column("form", "Hình thức", ("Hình thức tuyên truyền", "Loại hình", "Hình thức thực hiện"), 28),
    Column("title", "Tên hoạt động", ("Tên, nội dung hoạt động", "Nội dung", "Nội dung tuyên truyền",
                                      "Nội dung hoạt động", "Tên bài", "Tiêu đề", "Tên tin, bài",
                                      "Tên chương trình", "Hoạt động"), 48),  # fmt: skip
    Column("content", "Mô tả chi tiết", ("Nội dung chi tiết", "Mô tả", "Chi tiết"), 40),
    Column("topics", "Chủ đề", ("Lĩnh vực", "Chủ đề tuyên truyền"), 26),
    Column("channel", "Kênh", ("Kênh, phương tiện", "Phương tiện", "Kênh tuyên truyền", "Nơi đăng tải"), 18),
    Column("quantity", "Số lượng", ("SL", "Số tin, bài", "Số lượt", "Số buổi"), 10),
    Column("counted_unit", "Đơn vị tính", ("ĐVT",), 12, imported=False),
    Column("duration_minutes", "Thời lượng (phút)", ("Thời lượng", "Số phút"), 11),
    Column("participants", "Người tham dự/tiếp cận", ("Số người tham dự/tiếp cận", "Số người tham dự",
                                                      "Số người", "Người tham dự", "Lượt tiếp cận",
                                                      "Số lượt tiếp cận", "Số người tham gia",
                                                      "Số lượt xem"), 13),  # fmt: skip
    Column("cost", "Kinh phí (đồng)", ("Kinh phí", "Số tiền", "Chi phí", "Kinh phí (VNĐ)", "Thành tiền",
                                       "Kinh phí (đ)"), 16),  # fmt: skip
    Column("funding", "Nguồn kinh phí", ("Nguồn vốn", "Nguồn"), 18),
    Column("link", "Đường dẫn", ("Link", "Liên kết", "URL", "Địa chỉ bài viết"), 28),
    Column("notes", "Ghi chú", (), 24),
    Column("evidence", "Tệp minh chứng", ("Minh chứng",), 24, imported=False),
    Column("uuid", "Mã hoạt động", (), 38),
]
BY_KEY = {column.key: column for column in COLUMNS}
IMPORTED_KEYS = [column.key for column in COLUMNS if column.imported]

# Without these an imported row is not an activity.
REQUIRED_KEYS = ("date_from", "title")


def header_key(text) -> str:
    """A header as compared: "Kinh phí (đồng)" -> "kinh phi dong"."""
    return fold(str(text)) if text is not None else ""


# folded header -> column key; the app's own headers and every variant
HEADER_KEYS: dict[str, str] = {}
for _column in COLUMNS:
    for _text in (_column.header, *_column.variants):
        HEADER_KEYS.setdefault(header_key(_text), _column.key)
