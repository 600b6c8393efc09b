"""A complete report context with every key a renderer may use (documentation and tests).

Shape (all strings are final, NFC, punctuated; renderers add no words of their own):

- agency.parent: "UBND HUYỆN HẢI LĂNG" or "" (upper, not bold); agency.name: "ỦY BAN NHÂN DÂN XÃ HẢI PHÚ" (upper, bold)
- number: "Số: 05/BC-UBND"; place_date: "Hải Phú, ngày 05 tháng 01 năm 2025"
- doc_type: "BÁO CÁO"; summary: "Kết quả công tác tuyên truyền chuyển đổi số 6 tháng đầu năm 2025"
- recipients_inline: True when there is one recipient -> one line "Kính gửi: Sở Khoa học và Công nghệ."
  recipients: the lines, punctuated: ["Sở Khoa học và Công nghệ."] or ["- Sở A;", "- Sở B."]
- body: flat list of paragraphs {"kind": "h1"|"h2"|"h3"|"body", "text": ...}; the last body text ends with "./."
- signature: authority ("TM. ỦY BAN NHÂN DÂN"), title_lines (["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]), signer
- noi_nhan: ["- Như trên;", "- UBND huyện (b/c);", "- Lưu: VT, VHXH."]
- appendix: title, annotation "(Kèm theo Báo cáo số 05/BC-UBND ngày 05/01/2025 của UBND xã Hải Phú)",
  tables: list of {"title", "columns": [str], "rows": [[str]], "total": [str], "numeric_from": int}
  (cells are formatted text: "1.500.000", "20%"; the first table is by form; a unit with subordinates
  has a second one by subordinate unit)
- period: {"kind", "label", "start": "01/01/2025", "end": "30/06/2025"}
"""

from __future__ import annotations


def sample_context() -> dict:
    return {
        "agency": {"parent": "UBND HUYỆN HẢI LĂNG", "name": "ỦY BAN NHÂN DÂN XÃ HẢI PHÚ"},
        "number": "Số: 05/BC-UBND",
        "place_date": "Hải Phú, ngày 05 tháng 01 năm 2025",
        "doc_type": "BÁO CÁO",
        "summary": "Kết quả công tác tuyên truyền chuyển đổi số 6 tháng đầu năm 2025",
        "recipients_inline": False,
        "recipients": ["- Sở Khoa học và Công nghệ tỉnh Quảng Trị;", "- UBND huyện Hải Lăng."],
        "period": {"kind": "6thang", "label": "6 tháng đầu năm 2025", "start": "15/12/2024", "end": "14/06/2025"},
        "body": [
            {"kind": "h1", "text": "I. CÔNG TÁC CHỈ ĐẠO, TRIỂN KHAI"},
            {"kind": "body", "text": "Thực hiện Kế hoạch số 148/KH-UBND ngày 23/9/2021 của UBND tỉnh về tuyên truyền chuyển đổi số, UBND xã đã ban hành kế hoạch & chỉ đạo các bộ phận <chuyên môn> triển khai."},
            {"kind": "h1", "text": "II. KẾT QUẢ THỰC HIỆN"},
            {"kind": "h2", "text": "1. Tuyên truyền trên báo chí, cổng/trang thông tin điện tử"},
            {"kind": "body", "text": "Trong 6 tháng đầu năm 2025, đã đăng tải 24 tin, bài, tăng 20% so với cùng kỳ năm 2024."},
            {"kind": "h2", "text": "2. Kinh phí"},
            {"kind": "h3", "text": "a) Ngân sách xã"},
            {"kind": "body", "text": "Tổng kinh phí thực hiện 12.500.000 đồng."},
            {"kind": "h1", "text": "V. ĐỀ XUẤT, KIẾN NGHỊ"},
            {"kind": "body", "text": "Đề nghị Sở Khoa học và Công nghệ tiếp tục hỗ trợ tài liệu tuyên truyền./."},
        ],
        "signature": {
            "authority": "TM. ỦY BAN NHÂN DÂN",
            "title_lines": ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"],
            "signer": "Nguyễn Văn An",
        },
        "noi_nhan": ["- Như trên;", "- Đảng ủy xã (b/c);", "- Lưu: VT, VHXH."],
        "appendix": {
            "title": "THỐNG KÊ KẾT QUẢ TUYÊN TRUYỀN CHUYỂN ĐỔI SỐ 6 THÁNG ĐẦU NĂM 2025",
            "annotation": "(Kèm theo Báo cáo số 05/BC-UBND ngày 05/01/2025 của UBND xã Hải Phú)",
            "tables": [
                {
                    "title": "Theo hình thức tuyên truyền",
                    "columns": ["STT", "Hình thức", "Đơn vị tính", "Số lượng", "Số hoạt động",
                                "Người tham dự/tiếp cận", "Kinh phí (đồng)", "Cùng kỳ năm 2024", "Tăng/giảm"],
                    "rows": [
                        ["1", "Tin, bài, ảnh trên cổng/trang thông tin điện tử, báo chí", "tin, bài", "24", "10", "3.200", "500.000", "20", "+20%"],
                        ["2", "Hội nghị, hội thảo, sự kiện", "sự kiện", "2", "2", "350", "12.000.000", "1", "+100%"],
                    ],
                    "total": ["", "Tổng cộng", "", "26", "12", "3.550", "12.500.000", "21", ""],
                    "numeric_from": 3,
                }
            ],
        },
    }
