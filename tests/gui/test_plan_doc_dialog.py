"""The unit's plan as Word: drafted parts, the officer's edits kept as typed, saved with them."""

from __future__ import annotations

import datetime as dt

from docx import Document
from PySide6.QtWidgets import QMessageBox

from core import plans
from gui import plan_doc_dialog
from gui.plan_doc_dialog import PlanDocDialog


def test_draft_edit_keep_and_save(qtbot, profile_db, tmp_path, monkeypatch):
    plan = plans.create_plan(profile_db, {"title": "Kế hoạch", "year_from": 2026, "year_to": 2026})
    plans.create_target(profile_db, plan.id, {"name": "Tin, bài trên cổng thông tin", "planned": 30, "year": 2026,
                                              "unit_label": "tin, bài", "form_codes": ["tin_bai"],
                                              "measure": "quantity"})  # fmt: skip
    dialog = PlanDocDialog(profile_db, today=dt.date(2025, 11, 20))
    qtbot.addWidget(dialog)
    assert dialog.year.value() == 2026 and dialog.tabs.count() == 5
    assert dialog.edits[1].toPlainText() == "- Tin, bài trên cổng thông tin: 30 tin, bài."
    dialog.edits[3].setPlainText("Dự toán kinh phí thực hiện: 45.000.000 đồng từ ngân sách xã.")
    qtbot.waitUntil(lambda: not dialog._autosave.isActive(), timeout=3000)  # kept as typed

    again = PlanDocDialog(profile_db, today=dt.date(2025, 11, 20))
    qtbot.addWidget(again)
    assert again.edits[3].toPlainText() == "Dự toán kinh phí thực hiện: 45.000.000 đồng từ ngân sách xã."
    again.number.setValue(12)
    target = tmp_path / "ke_hoach.docx"
    monkeypatch.setattr(plan_doc_dialog, "choose_file_to_save", lambda *a: str(target))
    monkeypatch.setattr(QMessageBox, "information", lambda *a: None)
    again.save_word()
    text = "\n".join(p.text for p in Document(str(target)).paragraphs)
    assert "Dự toán kinh phí thực hiện: 45.000.000 đồng từ ngân sách xã." in text
    assert "Tuyên truyền chuyển đổi số năm 2026" in text
    cells = [c.text for t in Document(str(target)).tables for r in t.rows for c in r.cells]
    assert any("Số: 12/KH-UBND" in c for c in cells)

    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a: asked.append(a[2]) or QMessageBox.No)
    again.redraft()
    assert "IV. KINH PHÍ" in asked[0]  # says what would be replaced, and keeps it on "No"
    assert again.edits[3].toPlainText().startswith("Dự toán kinh phí thực hiện: 45.000.000")
