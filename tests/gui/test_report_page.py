"""The report page as the officer uses it: new report, type, autosave, re-draft, finalise, reopen."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox

from core.reports import store
from gui.new_report_dialog import NewReportDialog
from gui.report_page import ReportPage
from tests.gui.conftest import type_text

TODAY = dt.date(2025, 7, 10)


def make_page(qtbot, db, db_path) -> ReportPage:
    page = ReportPage(db, db_path, today=TODAY)
    qtbot.addWidget(page)
    page.show()
    return page


def test_new_report_dialog_shows_the_period(qtbot):
    dialog = NewReportDialog(today=TODAY, rules="nd09")
    qtbot.addWidget(dialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData("quy"))
    dialog.number.setValue(2)
    assert dialog.preview.text() == "quý II năm 2025: từ 15/03/2025 đến 14/06/2025"
    dialog.rules.setCurrentIndex(dialog.rules.findData("calendar"))
    assert dialog.preview.text() == "quý II năm 2025: từ 01/04/2025 đến 30/06/2025"
    dialog.kind.setCurrentIndex(dialog.kind.findData("dotxuat"))
    assert dialog.date_from.isVisible() or not dialog.isVisible()


def test_create_edit_autosave_and_finalise(qtbot, profile_db, db_path, monkeypatch):
    page = make_page(qtbot, profile_db, db_path)
    assert page.due.count() >= 1 and "hạn" in page.due.item(0).text()

    def choose_period():
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, NewReportDialog)
        dialog.kind.setCurrentIndex(dialog.kind.findData("6thang"))
        dialog.rules.setCurrentIndex(dialog.rules.findData("calendar"))
        dialog.accept_period()

    QTimer.singleShot(50, choose_period)
    page.new_report()
    assert page.reports.count() == 1 and page.editor is not None
    editor = page.editor
    results = editor.section_edits["ket_qua"].toPlainText()
    assert "đã đăng tải 2 tin, bài, ảnh" in results

    editor.section_edits["de_xuat"].setPlainText("")
    type_text(editor.section_edits["de_xuat"], "Đề nghị Sở hỗ trợ tập huấn")
    type_text(editor.signer, "Phan Văn Đức")
    qtbot.waitUntil(lambda: not editor.dirty, timeout=3000)  # saved while typing
    saved = store.get_report(profile_db, editor.report.id)
    assert {s.key: s.text for s in saved.sections}["de_xuat"] == "Đề nghị Sở hỗ trợ tập huấn"
    assert saved.signer == "Phan Văn Đức"

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.Yes)
    page.finalise()
    final = store.get_report(profile_db, editor.report.id)
    assert final.status == store.STATUS_FINAL
    assert page.editor.signer.isReadOnly() and not page.buttons["final"].isEnabled()
    assert (db_path.parent / "bao_cao" / "BaoCao_01_6thang-2025.docx").exists()
    assert "Đã chốt" in page.status.text()

    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Sửa số liệu tháng 6", True))
    page.reopen()
    assert store.get_report(profile_db, final.id).status == store.STATUS_DRAFT
    assert "Sửa số liệu tháng 6" in page.status.text()
    assert not page.editor.signer.isReadOnly()


def test_redraft_asks_before_replacing_an_edited_section(qtbot, profile_db, db_path, monkeypatch):
    from core import periods
    from core.activities.service import create_activity

    report = store.create_report(profile_db, periods.period_for("6thang", 2025, rules="calendar"), today=TODAY)
    page = make_page(qtbot, profile_db, db_path)
    page.show_report(report.id)
    page.editor.section_edits["ket_qua"].setPlainText("Kết quả do cán bộ viết lại.")
    page.editor.save_now()
    district, _commune = profile_db.units
    create_activity(profile_db, {"date_from": "01/06/2025", "unit_id": district.id, "form_code": "pano",
                                 "title": "Treo băng rôn", "quantity": "4"})  # fmt: skip
    asked = []

    def keep_mine(box_self):
        asked.append(box_self.text())
        return QMessageBox.No

    monkeypatch.setattr(QMessageBox, "exec", keep_mine)
    page.redraft()
    assert asked and "II. KẾT QUẢ THỰC HIỆN" in asked[0]
    assert page.editor.section_edits["ket_qua"].toPlainText() == "Kết quả do cán bộ viết lại."


def test_report_settings_template_and_due_dates(qtbot, profile_db, tmp_path, monkeypatch):
    from docx import Document

    from core import settings
    from core.reports import templates, word
    from gui import report_settings_dialog
    from gui.report_settings_dialog import ReportSettingsDialog

    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: warnings.append(a[2]))
    dialog = ReportSettingsDialog(profile_db)
    qtbot.addWidget(dialog)
    assert "mẫu có sẵn" in dialog.template_state.text()

    exported = tmp_path / "mau.docx"
    monkeypatch.setattr(report_settings_dialog, "choose_file_to_save", lambda *a: str(exported))
    dialog.export_template()
    assert exported.read_bytes() == word.BUILTIN_TEMPLATE.read_bytes()

    broken = tmp_path / "mau_sai.docx"
    document = Document(str(exported))
    document.add_paragraph("{{ ten_sai }}")
    document.save(str(broken))
    monkeypatch.setattr(report_settings_dialog, "choose_files_to_open", lambda *a: [str(broken)])
    dialog.load_template()
    assert warnings and "ten_sai" in warnings[-1]
    assert templates.active_template(profile_db) == word.BUILTIN_TEMPLATE

    monkeypatch.setattr(report_settings_dialog, "choose_files_to_open", lambda *a: [str(exported)])
    dialog.load_template()
    assert templates.active_template(profile_db) == templates.custom_template_path(profile_db)
    assert "mẫu của tỉnh" in dialog.template_state.text()
    dialog.reset_template()
    assert templates.active_template(profile_db) == word.BUILTIN_TEMPLATE

    dialog.due["6thang"].setText("32/13")
    dialog.save()
    assert settings.get(profile_db, "report_due") is None
    dialog.due["6thang"].setText("25/05")
    dialog.rules.setCurrentIndex(dialog.rules.findData("calendar"))
    dialog.save()
    assert settings.get(profile_db, "report_due") == {"6thang": "25/05"}
    assert settings.get(profile_db, "report_rules") == "calendar"


def test_finalise_without_signer_marks_the_field_and_writes_nothing(qtbot, profile_db, db_path, monkeypatch):
    from core import periods

    report = store.create_report(profile_db, periods.period_for("6thang", 2025, rules="calendar"), today=TODAY)
    page = make_page(qtbot, profile_db, db_path)
    page.show_report(report.id)
    page.editor.signer.setText("")
    shown = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.Yes)
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()) or 0)
    page.finalise()
    assert len(shown) == 1 and "Hãy nhập họ tên người ký trước khi chốt." in shown[0]
    assert store.get_report(profile_db, report.id).status == store.STATUS_DRAFT
    assert not list((db_path.parent / "bao_cao").glob("*.docx"))  # no files written for nothing
    assert not page.editor.signer.isReadOnly()
