"""Cài đặt → Báo cáo: how periods are counted, due dates, and the Word template."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit,
    QMessageBox, QPushButton, QVBoxLayout,
)  # fmt: skip

from core import periods, settings
from core.errors import UserError
from core.reports import templates, word
from gui.file_dialogs import choose_file_to_save, choose_files_to_open

DUE_HINTS = {"thang": "ngày trong tháng, ví dụ 20", "quy": "ngày trong tháng cuối quý, ví dụ 20",
             "6thang": "ngày/tháng, ví dụ 01/06", "9thang": "ngày/tháng, ví dụ 20/09",
             "nam": "ngày/tháng, ví dụ 01/12", "dotxuat": "số ngày sau kỳ, ví dụ 5"}  # fmt: skip


class ReportSettingsDialog(QDialog):
    def __init__(self, db, parent=None):
        super().__init__(parent)
        self.db = db
        self.setWindowTitle("Cài đặt báo cáo")
        self.rules = QComboBox()
        for code in periods.RULES:
            self.rules.addItem(periods.RULE_LABELS[code], code)
        self.rules.setCurrentIndex(max(0, self.rules.findData(settings.get(db, "report_rules", "nd09"))))
        overrides = settings.get(db, "report_due", {}) or {}
        self.due: dict[str, QLineEdit] = {}
        due_box = QGroupBox("Hạn nộp (để trống: theo mặc định)")
        due_form = QFormLayout(due_box)
        for kind in periods.KINDS:
            edit = QLineEdit(overrides.get(kind, ""))
            edit.setPlaceholderText(DUE_HINTS[kind])
            self.due[kind] = edit
            due_form.addRow(f"Báo cáo {periods.KIND_LABELS[kind].lower()}", edit)
        template_box = QGroupBox("Mẫu báo cáo Word")
        self.template_state = QLabel()
        self.template_state.setWordWrap(True)
        buttons = QHBoxLayout()
        for text, slot in (("Lưu mẫu ra để sửa trong Word…", self.export_template),
                           ("Nạp mẫu của tỉnh…", self.load_template),
                           ("Dùng mẫu có sẵn", self.reset_template)):  # fmt: skip
            button = QPushButton(text)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        template_layout = QVBoxLayout(template_box)
        template_layout.addWidget(self.template_state)
        template_layout.addLayout(buttons)
        box = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        box.accepted.connect(self.save)
        box.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        form.addRow("Cách tính kỳ số liệu", self.rules)
        layout.addLayout(form)
        layout.addWidget(due_box)
        layout.addWidget(template_box)
        layout.addWidget(box)
        self._show_template()

    def _show_template(self) -> None:
        active = templates.active_template(self.db)
        self.template_state.setText(
            "Đang dùng: mẫu có sẵn (theo Nghị định 30/2020/NĐ-CP)." if active == word.BUILTIN_TEMPLATE
            else f"Đang dùng: mẫu của tỉnh đã nạp ({active})."
        )  # fmt: skip

    def export_template(self) -> None:
        target = choose_file_to_save(self, "Lưu mẫu báo cáo", "mau_bao_cao.docx", "Tài liệu Word (*.docx)")
        if target:
            try:
                templates.export_template(self.db, target)
            except UserError as exc:
                QMessageBox.warning(self, "Chưa lưu được", exc.message)

    def load_template(self) -> None:
        paths = choose_files_to_open(self, "Chọn mẫu báo cáo Word", "Tài liệu Word (*.docx)")
        if not paths:
            return
        try:
            templates.install_template(self.db, paths[0])
        except UserError as exc:
            QMessageBox.warning(self, "Mẫu chưa dùng được", exc.message)
            return
        self._show_template()

    def reset_template(self) -> None:
        templates.reset_template(self.db)
        self._show_template()

    def save(self) -> None:
        overrides = {kind: edit.text().strip() for kind, edit in self.due.items() if edit.text().strip()}
        try:
            for kind, spec in overrides.items():  # check each rule on this year's period
                if kind == "dotxuat":
                    sample = periods.period_for("dotxuat", 2025, start=dt.date(2025, 1, 1), end=dt.date(2025, 1, 31))
                else:
                    sample = periods.current_period(kind, dt.date.today(), self.rules.currentData())
                periods.due_date(sample, {kind: spec})
        except UserError as exc:
            QMessageBox.warning(self, "Hạn nộp chưa đúng", exc.message)
            return
        settings.put(self.db, "report_rules", self.rules.currentData())
        settings.put(self.db, "report_due", overrides)
        self.accept()
