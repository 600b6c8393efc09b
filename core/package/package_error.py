"""PackageError: why a .cdsx package is refused, one Vietnamese sentence per cause."""

from __future__ import annotations

from pathlib import Path

from core.errors import UserError

# cause -> the end of "Tệp “X.cdsx” ..." ; ``cause`` is stable for tests and the log
REASONS = {
    "no_file": "không còn ở đó (đã bị xóa, đổi tên hoặc ổ USB đã bị rút ra).",
    "unreadable": "không đọc được (ổ USB có thể đã bị rút ra, hoặc tệp đang bị chương trình khác khóa).",
    "empty": "trống (0 byte): có thể việc chép tệp chưa xong. Hãy chép lại tệp từ máy gửi.",
    "not_zip": "không phải gói dữ liệu của phần mềm hoặc đã bị hỏng.",
    "truncated": "bị cắt cụt (chép chưa hết hoặc bị hỏng). Hãy chép lại tệp từ máy gửi.",
    "too_many": "có quá nhiều phần ({count}, tối đa {limit}); gói có thể là tệp độc hại.",
    "too_big": "khi giải nén quá lớn (tối đa {limit}); gói có thể là tệp độc hại.",
    "unsafe_name": "chứa phần có tên không an toàn “{name}” ({why}); gói có thể đã bị sửa đổi.",
    "duplicate": "chứa hai phần trùng tên “{name}”; gói có thể đã bị sửa đổi.",
    "encrypted": "có phần “{name}” được đặt mật khẩu nên không đọc được.",
    "method": "có phần “{name}” nén theo kiểu phần mềm không hỗ trợ.",
    "bomb": "có phần “{name}” nén bất thường (tỉ lệ {ratio}:1, tối đa {limit}:1); gói có thể là tệp độc hại.",
    "overlap": "có các phần chồng lên nhau trong tệp nén; gói có thể là tệp độc hại.",
    "no_manifest": "thiếu phần mô tả manifest.json nên không phải gói dữ liệu hợp lệ.",
    "manifest_size": "có phần mô tả manifest.json lớn bất thường ({size}); gói có thể là tệp độc hại.",
    "manifest_json": "có phần mô tả manifest.json không đọc được (không phải JSON UTF-8 hợp lệ).",
    "manifest_object": "có phần mô tả manifest.json sai dạng (phải là một đối tượng JSON).",
    "manifest_key": "có phần mô tả manifest.json thiếu hoặc sai mục “{key}”.",
    "not_ours": "không phải gói dữ liệu của phần mềm này (định dạng “{format}”).",
    "newer": "được tạo bằng phiên bản phần mềm mới hơn (định dạng gói số {version}; phiên bản này chỉ đọc "
    "được đến định dạng số {supported}): cần cập nhật phần mềm lên phiên bản {app_version} trở lên rồi nhập lại.",
    "too_old": "có định dạng gói số {version} quá cũ, phần mềm này không còn đọc được.",
    "missing": "thiếu phần “{name}” có trong danh mục manifest.json; gói bị hỏng hoặc chép chưa đủ.",
    "unlisted": "chứa phần “{name}” không có trong danh mục manifest.json; gói có thể đã bị sửa đổi.",
    "header_size": "có phần “{name}” dài {header} byte theo tệp nén nhưng {declared} byte theo danh mục; "
    "gói bị hỏng hoặc bị sửa đổi.",
    "size_lie": "có phần “{name}” giải nén ra nhiều hơn {declared} byte đã khai báo; gói bị hỏng hoặc bị sửa đổi.",
    "size": "có phần “{name}” dài {actual} byte, khác với {declared} byte trong danh mục; gói bị hỏng hoặc bị sửa đổi.",
    "hash": "có phần “{name}” không khớp mã kiểm tra SHA-256: dữ liệu bị hỏng hoặc bị sửa đổi.",
    "crc": "có phần “{name}” sai mã kiểm tra CRC: dữ liệu bị hỏng trong lúc chép.",
    "damaged": "có phần “{name}” bị hỏng, không giải nén được.",
    "absent": "không có phần “{name}”.",
    "member_json": "có phần “{name}” không đọc được (không phải JSON UTF-8 hợp lệ).",
    "not_package": "không phải gói dữ liệu (.cdsx) của phần mềm.",
    "unrelated_unit": "là dữ liệu của “{unit}”, không phải đơn vị của bạn hay đơn vị trực thuộc, nên không nhận.",
    "new_unit": "là dữ liệu của “{unit}”, đơn vị chưa có trong danh sách đơn vị trực thuộc. Nếu đúng là đơn vị "
    "cấp dưới, hãy chọn “Nhận cả đơn vị mới”; nếu là xã cũ đã sáp nhập, hãy “Ghép vào đơn vị đã có…” "
    "(dòng lệnh: package map-unit), rồi nhận lại.",
    "record": "có phần “{name}” không hợp lệ: {why}.",  # raised by records.py, ``why`` in Vietnamese
}


class PackageError(UserError):
    """A package that cannot be used: ``cause`` is a key of REASONS, ``str(err)`` the Vietnamese message."""

    def __init__(self, path: Path | str, cause: str, **details):
        self.cause = cause
        self.file = Path(path).name
        shown = {key: _printable(value) if isinstance(value, str) else value for key, value in details.items()}
        super().__init__(f"Tệp “{_printable(self.file)}” {REASONS[cause].format(**shown)}")


def _printable(text: str, limit: int = 80) -> str:
    """A name from a hostile file, safe to show: no control characters, bounded length."""
    text = "".join(char if char.isprintable() else "?" for char in text)
    return text if len(text) <= limit else text[: limit - 1] + "…"
