"""Tệp → Nhập từ Excel: an officer's messy sheet through the wizard, and the Excel menu entries."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton, QWizard

from core.activities import repository
from core.activities.filters import ActivityFilter
from core.importers import service
from gui import import_wizard
from gui.import_wizard import SKIP, ImportWizard, column_letter
from tests.gui.conftest import type_text

HEADER = ["STT", "Ngày thực hiện", "Tên hoạt động", "Hình thức", "Số lượng", "Kinh phí (đồng)"]


def messy_log(path: Path) -> Path:
    """A title row, the header on row 3, good rows, a bad date, an unknown form, a totals row."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Năm 2025"
    ws["A1"] = "BẢNG THEO DÕI HOẠT ĐỘNG TUYÊN TRUYỀN CHUYỂN ĐỔI SỐ NĂM 2025"
    ws.merge_cells("A1:F1")
    ws.append([])
    ws.append(HEADER)  # row 3
    ws.append([1, dt.date(2025, 3, 5), "Hội nghị triển khai chuyển đổi số", "Hội nghị", 1, 1500000])  # 4
    ws.append([2, "06/03/2025", "Đăng tin hướng dẫn cài đặt VNeID", "Đăng Facebook", 3, None])  # 5
    ws.append([3, "07/03/2025", "Phát thanh chuyên mục chuyển đổi số", "Phát thanh", 2, "500.000"])  # 6
    ws.append([4, "31/02/2025", "Ngày không có thật", "Hội nghị", 1, None])  # 7: no such day
    ws.append([5, "09/03/2025", "Múa lân cổ động Ngày Chuyển đổi số", "Múa lân", 1, None])  # 8: unknown form
    ws.append([None, None, "Tổng cộng", None, 8, 2000000])  # 9
    notes = wb.create_sheet("Ghi chú")
    notes["A1"] = "Người lập: Lê Thị Mai"
    wb.save(path)
    return path


@pytest.fixture
def wizard(qtbot, profile_db, db_path):
    wiz = ImportWizard(profile_db, db_path)
    qtbot.addWidget(wiz)
    wiz.show()
    return wiz


def activity_count(db) -> int:
    return repository.count(db, ActivityFilter())


def to_columns_page(wizard: ImportWizard, path: Path) -> None:
    wizard.file_page.path_edit.setText(str(path))
    wizard.next()  # reads the file in the background; next() returns once it is read
    assert wizard.currentPage() is wizard.columns_page


def to_review_page(wizard: ImportWizard, path: Path, *, funding: str | None = "ns_xa") -> None:
    to_columns_page(wizard, path)
    page = wizard.columns_page
    page.funding.setCurrentIndex(page.funding.findData(funding))
    wizard.next()
    assert wizard.currentPage() is wizard.review_page


def finish_button(wizard: ImportWizard) -> QPushButton:
    return wizard.button(QWizard.FinishButton)


def test_messy_sheet_imported_through_the_wizard(qtbot, wizard, profile_db, tmp_path, messages):
    district, _commune = profile_db.units
    path = messy_log(tmp_path / "theo dõi 2025.xlsx")
    assert wizard.windowTitle() == "Nhập hoạt động từ Excel"

    # 1. Chọn tệp: the sheets are listed, the first one chosen
    wizard.file_page.path_edit.setText(str(path))
    assert wizard.file_page.load_sheets()
    sheet = wizard.file_page.sheet
    assert [sheet.itemText(i) for i in range(sheet.count())] == ["Năm 2025", "Ghi chú"]
    wizard.next()
    assert wizard.currentPage() is wizard.columns_page and not messages

    # 2. Cột: each column preselected from its header, the profile's unit as the default unit
    page = wizard.columns_page
    assert page.table.rowCount() == 6
    assert page.table.item(1, 0).text() == "B: Ngày thực hiện"
    assert page.table.item(1, 1).text() == "05/03/2025; 06/03/2025; 07/03/2025"
    assert page.table.item(5, 1).text().startswith("1.500.000; 500.000")
    assert {column: combo.currentData() for column, combo in page.combos.items()} == {
        0: SKIP, 1: "date_from", 2: "title", 3: "form", 4: "quantity", 5: "cost"}  # fmt: skip
    assert page.combos[4].currentText() == "Số lượng"
    assert page.unit.currentData() == district.id
    assert page.funding.currentData() is None and page.funding.currentText() == "— Không chọn —"
    assert not page.legacy.isVisible()
    # the officer says "Số lượng" in this sheet counts the people reached, and the money is the commune's
    page.combos[4].setCurrentIndex(page.combos[4].findData("participants"))
    page.funding.setCurrentIndex(page.funding.findData("ns_xa"))
    wizard.next()
    assert wizard.currentPage() is wizard.review_page and not messages

    # 3. Kiểm tra: the summary, the unknown form to choose, the bad date listed
    review = wizard.review_page
    assert review.summary.text().splitlines() == [
        "Tệp “theo dõi 2025.xlsx”, trang tính “Năm 2025”.",
        "Đọc 6 dòng; sẵn sàng nhập 3 hoạt động; 2 dòng có lỗi sẽ bỏ qua; 1 dòng tổng cộng bỏ qua.",
        "3 dòng không ghi số lượng được tính là 1.",  # the ready ones, not the rows with errors
        "Có giá trị chưa rõ: chọn mục tương ứng ở bảng dưới để nhập cả các dòng đó.",
    ]
    assert review.unresolved.rowCount() == 1
    assert [review.unresolved.item(0, c).text() for c in (0, 1)] == ["Hình thức", "Múa lân"]
    assert review.problems.rowCount() == 2
    rows = {(review.problems.item(r, 0).text(), review.problems.item(r, 1).text()) for r in range(2)}
    assert rows == {("7", "Ngày thực hiện"), ("8", "Hình thức")}
    assert finish_button(wizard).isEnabled() and finish_button(wizard).text() == "Nhập"

    combo = review.unresolved.cellWidget(0, 2)
    combo.setCurrentIndex(combo.findText("Hình thức khác"))
    qtbot.mouseClick(review.apply_button, import_wizard.Qt.LeftButton)
    assert review.summary.text().splitlines()[1] == (
        "Đọc 6 dòng; sẵn sàng nhập 4 hoạt động; 1 dòng có lỗi sẽ bỏ qua; 1 dòng tổng cộng bỏ qua.")
    assert not review.unresolved_box.isVisible()
    assert review.problems.rowCount() == 1 and review.problems.item(0, 2).text().startswith("Ngày “31/02/2025”")

    # 4. Nhập
    qtbot.mouseClick(finish_button(wizard), import_wizard.Qt.LeftButton)
    assert messages == [("information", "Đã nhập xong", "Đã nhập 4 hoạt động.")]
    assert wizard.result() == QWizard.Accepted and wizard.imported.imported == 4
    assert activity_count(profile_db) == 3 + 4
    dance = profile_db.execute(
        "SELECT form_code, unit_id, date_from, quantity, participants FROM activities WHERE title = ?",
        ["Múa lân cổ động Ngày Chuyển đổi số"]).fetchone()  # fmt: skip
    assert dance == ("khac", district.id, "2025-03-09", 1, 1)
    meeting = profile_db.execute("SELECT cost, funding_code, participants, origin FROM activities WHERE title = ?",
                                 ["Hội nghị triển khai chuyển đổi số"]).fetchone()  # fmt: skip
    assert meeting == (1500000, "ns_xa", 1, "imported")
    assert not profile_db.execute("SELECT 1 FROM activities WHERE title = 'Ngày không có thật'").fetchall()


def test_cancel_while_importing_writes_nothing(qtbot, wizard, profile_db, tmp_path, messages, monkeypatch):
    path = messy_log(tmp_path / "so.xlsx")
    to_review_page(wizard, path)
    real_commit = service.commit

    def slow_commit(db, preview, progress):  # the officer presses "Hủy" before the first batch is written
        deadline = time.monotonic() + 10
        while not progress.cancel_requested and time.monotonic() < deadline:
            time.sleep(0.01)
        return real_commit(db, preview, progress)

    def press_cancel():
        dialog = wizard.findChild(QProgressDialog)
        assert dialog is not None
        dialog.findChild(QPushButton).click()

    monkeypatch.setattr(service, "commit", slow_commit)
    QTimer.singleShot(100, press_cancel)
    qtbot.mouseClick(finish_button(wizard), import_wizard.Qt.LeftButton)
    assert messages == [("information", "Đã hủy nhập", "Đã hủy nhập; chưa có hoạt động nào được ghi vào sổ.")]
    assert activity_count(profile_db) == 3
    assert wizard.isVisible() and wizard.currentPage() is wizard.review_page and wizard.imported is None

    # trying again imports
    monkeypatch.setattr(service, "commit", real_commit)
    qtbot.mouseClick(finish_button(wizard), import_wizard.Qt.LeftButton)
    assert activity_count(profile_db) == 3 + 3 and wizard.imported.imported == 3


def test_the_same_file_twice_imports_nothing_new(qtbot, profile_db, db_path, tmp_path, messages):
    path = messy_log(tmp_path / "so.xlsx")
    first = ImportWizard(profile_db, db_path)
    qtbot.addWidget(first)
    first.show()
    to_review_page(first, path)
    first.button(QWizard.FinishButton).click()
    assert activity_count(profile_db) == 6

    again = ImportWizard(profile_db, db_path)
    qtbot.addWidget(again)
    again.show()
    to_review_page(again, path)
    summary = again.review_page.summary.text()
    assert "sẵn sàng nhập 0 hoạt động" in summary and "3 hoạt động đã có trong sổ (không nhập lại)" in summary
    assert "Chưa có hoạt động nào để nhập." in summary
    assert not finish_button(again).isEnabled()


def test_unusable_files_are_explained_and_the_page_stays(qtbot, wizard, tmp_path, messages):
    not_excel = tmp_path / "ghi chú.xlsx"
    not_excel.write_text("đây là văn bản", encoding="utf-8")
    wizard.file_page.path_edit.setText(str(not_excel))
    wizard.next()
    assert wizard.currentPage() is wizard.file_page
    assert messages[-1][0] == "warning" and "không phải bảng tính Excel" in messages[-1][2]

    no_header = tmp_path / "danh sách.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["Họ tên", "Địa chỉ"])
    wb.active.append(["Lê Thị Mai", "Hải Phú"])
    wb.save(no_header)
    wizard.file_page.path_edit.setText(str(no_header))
    wizard.next()
    assert wizard.currentPage() is wizard.file_page
    assert "Không tìm thấy dòng tiêu đề cột" in messages[-1][2]


def test_columns_must_name_a_title_and_each_field_once(qtbot, wizard, tmp_path, messages):
    to_columns_page(wizard, messy_log(tmp_path / "so.xlsx"))
    page = wizard.columns_page
    page.combos[3].setCurrentIndex(page.combos[3].findData("title"))  # "Hình thức" taken as the title too
    wizard.next()
    assert wizard.currentPage() is page
    assert messages[-1][1] == "Một mục được chọn cho nhiều cột" and "C (Tên hoạt động), D (Hình thức)" in messages[-1][2]
    page.combos[3].setCurrentIndex(page.combos[3].findData("form"))
    page.combos[2].setCurrentIndex(0)  # no title column at all
    wizard.next()
    assert wizard.currentPage() is page and "Tên hoạt động" in messages[-1][2]


def test_legacy_encoded_sheet_is_said_converted(qtbot, wizard, tmp_path, messages):
    from core.importers import legacy_text

    path = tmp_path / "cu.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Ngµy", "Tªn ho¹t ®éng", "H×nh thøc"])  # TCVN3: "Ngày", "Tên hoạt động", "Hình thức"
    ws.append(["05/03/2025", "Héi nghÞ triÓn khai chuyÓn ®æi sè", "Héi nghÞ"])
    ws.append(["06/03/2025", "TËp huÊn kü n¨ng sè", "TËp huÊn"])
    wb.save(path)
    assert legacy_text.detect(["Héi nghÞ triÓn khai chuyÓn ®æi sè", "TËp huÊn kü n¨ng sè"]) == "tcvn3"
    to_columns_page(wizard, path)
    page = wizard.columns_page
    assert page.legacy.isVisible()
    assert page.legacy.text() == "Chữ trong tệp được chuyển từ bảng mã TCVN3 sang Unicode."
    assert page.table.item(1, 0).text() == "B: Tên hoạt động"
    assert "Hội nghị triển khai chuyển đổi số" in page.table.item(1, 1).text()


def test_column_letters():
    assert [column_letter(i) for i in (0, 25, 26, 701)] == ["A", "Z", "AA", "ZZ"]


# --- the menu entries -----------------------------------------------------------------------


def test_import_from_the_menu_reloads_the_log(qtbot, window, profile_db, tmp_path, messages):
    path = messy_log(tmp_path / "so.xlsx")

    def drive():
        wizard = QApplication.activeModalWidget()
        assert isinstance(wizard, ImportWizard), wizard
        to_review_page(wizard, path)
        wizard.button(QWizard.FinishButton).click()

    QTimer.singleShot(50, drive)
    window.import_action.trigger()
    qtbot.waitUntil(lambda: not window.loading, timeout=5000)
    assert window.model.rowCount() == 3 + 3
    assert "Đã nhập 3 hoạt động từ Excel." in window.statusBar().currentMessage()


def test_export_menu_writes_the_filtered_log(qtbot, window, tmp_path, messages, monkeypatch):
    target = tmp_path / "SoHoatDong.xlsx"
    asked = []
    monkeypatch.setattr(import_wizard, "choose_file_to_save",
                        lambda parent, title, suggested, name_filter: asked.append((title, suggested)) or str(target))  # fmt: skip
    type_text(window.filters.search, "vneid")
    qtbot.waitUntil(lambda: not window.loading and window.model.rowCount() == 1, timeout=5000)
    window.export_action.trigger()
    assert asked[0][0] == "Xuất sổ hoạt động ra Excel" and asked[0][1].endswith("SoHoatDong.xlsx")
    assert messages[-1][:2] == ("information", "Đã xuất ra Excel") and "Đã xuất 1 hoạt động" in messages[-1][2]
    sheet = openpyxl.load_workbook(target, read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2 and "Đăng bài hướng dẫn cài VNeID" in rows[1]


def test_template_menu_writes_a_template_that_imports(qtbot, window, tmp_path, messages, monkeypatch):
    target = tmp_path / "mau.xlsx"
    monkeypatch.setattr(import_wizard, "choose_file_to_save", lambda *a: str(target))
    template_action = next(a for a in window.menuBar().actions()[0].menu().actions()
                           if a.text() == "Tải tệp mẫu nhập Excel…")  # fmt: skip
    template_action.trigger()
    assert target.exists() and messages[-1][1] == "Đã lưu tệp mẫu"
    fields = service.analyse(window.db, target).columns.fields
    assert {"date_from", "title", "form", "quantity", "cost", "funding"} <= set(fields.values())


def test_problems_list_is_capped_and_says_how_many_more(qtbot, wizard, tmp_path, messages):
    from core.importers.rows import Problem

    to_review_page(wizard, messy_log(tmp_path / "so.xlsx"))
    preview = wizard.preview
    preview.problems = [Problem(10 + i, "Ngày thực hiện", "Ngày không hợp lệ.") for i in range(2345)]
    preview.ready = []
    wizard.review_page.refresh()
    review = wizard.review_page
    assert review.problems.rowCount() == 2000 and review.problems.item(1999, 0).text() == "2009"
    assert review.problems_more.text() == "Chỉ hiện 2.000 lỗi đầu tiên; còn 345 lỗi nữa không hiện ở đây."
    assert "2.345 dòng có lỗi sẽ bỏ qua" in review.summary.text()
    assert not finish_button(wizard).isEnabled()
