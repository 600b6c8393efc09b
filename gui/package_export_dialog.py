"""Xuất ra USB: choose the period and the drive, see what goes in, write the package safely."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import sqlite_utils
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QMessageBox, QSpinBox, QVBoxLayout, QWidget,
)  # fmt: skip

from core import periods, settings
from core.errors import UserError
from core.package import drives
from core.package.export import ExportContents, describe, export_package
from core.package.safe_write import format_size
from core.text import format_date, format_number
from gui.drive_picker import DrivePicker
from gui.tasks import run_and_wait

KINDS = ("thang", "quy", "6thang", "9thang", "nam")


def _current(kind: str, today: dt.date, rules: str) -> periods.Period:
    try:
        return periods.current_period(kind, today, rules)
    except UserError:
        return periods.period_for(kind, today.year, number=1 if kind in ("thang", "quy") else None, rules=rules)


class PackageExportDialog(QDialog):
    def __init__(self, db: sqlite_utils.Database, db_path: Path, parent: QWidget | None = None, *,
                 today: dt.date | None = None, list_drives=drives.list_drives):  # fmt: skip
        super().__init__(parent)
        self.db, self.db_path = db, Path(db_path)
        self.today = today or dt.date.today()
        self.rules = settings.get(db, "report_rules", "nd09") or "nd09"
        self.contents: ExportContents | None = None
        self.result = None
        self.setWindowTitle("Xuất dữ liệu ra USB")
        self.setMinimumWidth(560)
        self.kind = QComboBox()
        for code in KINDS:
            self.kind.addItem(periods.KIND_LABELS[code], code)
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.number = QSpinBox()
        self.number_label = QLabel("Quý")
        start = _current("6thang", self.today, self.rules)
        self.kind.setCurrentIndex(self.kind.findData("6thang"))
        self.year.setValue(start.year)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.evidence = QCheckBox("Kèm các tệp minh chứng")
        self.picker = DrivePicker(list_drives=list_drives, folder_title="Chọn thư mục để ghi gói dữ liệu")
        form = QFormLayout()
        form.addRow("Loại kỳ", self.kind)
        form.addRow("Năm", self.year)
        form.addRow(self.number_label, self.number)
        form.addRow("Dữ liệu", self.summary)
        form.addRow("", self.evidence)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Ok).setText("Xuất ra USB")
        self.buttons.button(QDialogButtonBox.Cancel).setText("Đóng")
        self.buttons.accepted.connect(self.export)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("Ghi vào:"))
        layout.addWidget(self.picker)
        layout.addWidget(self.buttons)
        self.kind.currentIndexChanged.connect(self._period_changed)
        self.year.valueChanged.connect(self._update)
        self.number.valueChanged.connect(self._update)
        self.evidence.toggled.connect(self._update_button)
        self.picker.changed.connect(self._update_button)
        self._period_changed()

    # --- period and contents ---------------------------------------------------------

    def _period_changed(self) -> None:
        kind = self.kind.currentData()
        numbered = kind in ("thang", "quy")
        self.number_label.setText("Tháng" if kind == "thang" else "Quý")
        self.number.blockSignals(True)
        self.number.setRange(1, 12 if kind == "thang" else 4)
        if numbered:
            self.number.setValue(_current(kind, self.today, self.rules).number or 1)
        self.number.blockSignals(False)
        self.number.setVisible(numbered)
        self.number_label.setVisible(numbered)
        self._update()

    def period(self) -> periods.Period:
        kind = self.kind.currentData()
        number = self.number.value() if kind in ("thang", "quy") else None
        return periods.period_for(kind, self.year.value(), number=number, rules=self.rules)

    def _update(self) -> None:
        try:
            period = self.period()
            self.contents = describe(self.db, period)
        except UserError as exc:
            self.contents = None
            self.summary.setText(exc.message)
            self._update_button()
            return
        c = self.contents
        report = "chưa có báo cáo của kỳ này"
        if c.report is not None:
            report = f"báo cáo số {c.report.number_text}" + (" đã chốt" if c.report_files else " (bản nháp, chưa chốt)")
        below = f" và {format_number(len(c.unit_ids) - 1)} đơn vị trực thuộc" if len(c.unit_ids) > 1 else ""
        self.summary.setText(
            f"{period.label} (từ {format_date(period.start)} đến {format_date(period.end)}) của {c.unit.name}{below}:"
            f" {format_number(c.activities - c.deleted)} hoạt động, {format_number(c.deleted)} hoạt động đã xóa;"
            f" {report}."
        )  # fmt: skip
        self.evidence.setText(f"Kèm {format_number(c.evidence_files)} tệp minh chứng ({format_size(c.evidence_bytes)})")
        self.evidence.setEnabled(c.evidence_files > 0)
        self._update_button()

    # --- where to -----------------------------------------------------------------------

    @property
    def places(self):
        return self.picker.places

    def add_folder(self, folder: Path) -> None:
        self.picker.add_folder(folder)

    def target(self) -> Path | None:
        return self.picker.target()

    def _update_button(self, *_args) -> None:
        self.buttons.button(QDialogButtonBox.Ok).setEnabled(self.contents is not None and self.target() is not None)

    # --- writing ------------------------------------------------------------------------

    def export(self) -> None:
        target, contents = self.target(), self.contents
        if target is None or contents is None:
            return
        period, evidence = contents.period, self.evidence.isChecked() and self.evidence.isEnabled()
        existing = target / contents.file_name
        if existing.exists():
            answer = QMessageBox.question(self, "Đã có gói cùng tên",
                                          f"Trong “{target}” đã có “{existing.name}”. Ghi đè bằng dữ liệu mới?")  # fmt: skip
            if answer != QMessageBox.Yes:
                return
        outcome = run_and_wait(self, self.db_path, lambda db, progress: export_package(
            db, period, target, include_evidence=evidence, progress=progress), "Đang xuất dữ liệu ra USB…")  # fmt: skip
        if outcome.cancelled:
            QMessageBox.information(self, "Đã hủy", "Đã hủy xuất; không có tệp nào được ghi dưới tên gói.")
            return
        if not outcome.ok:
            QMessageBox.warning(self, "Chưa xuất được", outcome.message)
            return
        self.result = outcome.result
        beside = "".join(f"\n• {p.name}" for p in self.result.beside)
        QMessageBox.information(self, "Đã xuất xong", f"Đã ghi gói dữ liệu “{self.result.path.name}” vào “{target}”"
                                f" và đã đọc lại để kiểm tra.{' Kèm theo các tệp báo cáo để in:' + beside if beside else ''}")  # fmt: skip
        self.accept()
