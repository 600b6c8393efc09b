"""Targets from a simple Excel sheet, as a province sends them."""

from __future__ import annotations

import openpyxl
import pytest

from core import plans
from core.errors import UserError
from core.plans_excel import import_targets


@pytest.fixture
def plan(db):
    return plans.create_plan(db, {"number": "60/KH-UBND", "title": "Kế hoạch tuyên truyền", "year_from": 2025,
                                  "year_to": 2026})  # fmt: skip


def sheet(path, rows):
    wb = openpyxl.Workbook()
    wb.active.append(["CHỈ TIÊU TUYÊN TRUYỀN NĂM 2025"])
    for row in rows:
        wb.active.append(row)
    wb.save(path)
    return path


def test_targets_sheet_imported(db, plan, tmp_path):
    path = sheet(tmp_path / "chi_tieu.xlsx", [
        ["STT", "Chỉ tiêu", "Đơn vị tính", "Kế hoạch", "Hình thức"],
        [1, "Tin, bài trên cổng thông tin", "tin, bài", 24, "Tin, bài"],
        [2, "Trường học có nội dung tuyên truyền", "%", "50", None],
        [3, "Kinh phí hội nghị", "đồng", "20.000.000", "Hội nghị"],
        [None, "Tổng cộng", None, None, None],
    ])  # fmt: skip
    assert import_targets(db, path, plan.id, 2025) == 3
    targets = {t.name: t for t in plans.targets_for_year(db, 2025)}
    news = targets["Tin, bài trên cổng thông tin"]
    assert (news.source, news.measure, news.form_codes, news.planned, news.unit_label) == \
        ("log", "quantity", ["tin_bai"], 24, "tin, bài")  # fmt: skip
    schools = targets["Trường học có nội dung tuyên truyền"]
    assert (schools.source, schools.unit_kind, schools.planned) == ("manual", "percent", 50)
    money = targets["Kinh phí hội nghị"]
    assert (money.unit_kind, money.measure, money.form_codes, money.planned) == ("money", "cost", ["hoi_nghi"], 20e6)


def test_a_bad_row_imports_nothing(db, plan, tmp_path):
    path = sheet(tmp_path / "loi.xlsx", [
        ["Chỉ tiêu", "Kế hoạch", "Năm"],
        ["Tin, bài", 24, 2025],
        ["Sự kiện", 0, 2025],
        ["Năm ngoài kế hoạch", 5, 2030],
    ])  # fmt: skip
    with pytest.raises(UserError) as err:
        import_targets(db, path, plan.id, 2025)
    assert "Dòng 4: Giá trị kế hoạch phải lớn hơn 0." in err.value.message
    assert "Dòng 5: Năm của chỉ tiêu phải trong thời gian của kế hoạch (2025–2026)." in err.value.message
    assert plans.targets_for_year(db, 2025) == []
    with pytest.raises(UserError):
        import_targets(db, sheet(tmp_path / "khong.xlsx", [["Họ tên", "Địa chỉ"]]), plan.id, 2025)
