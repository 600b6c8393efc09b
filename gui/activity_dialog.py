"""Add or edit one activity: required fields marked, errors per field, nothing saved half-way."""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
from pathlib import Path

import sqlite_utils
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout,
    QLabel, QLineEdit, QListWidget, QListWidgetItem, QMessageBox, QPlainTextEdit, QPushButton,
    QScrollArea, QVBoxLayout, QWidget,
)  # fmt: skip

from core import taxonomy, units
from core.activities import service
from core.activities.evidence import evidence_file
from core.activities.model import Activity
from core.errors import UserError, ValidationError, describe_unexpected
from core.text import format_number
from gui.fields import FieldWithError, NumberEdit, show_field_errors
from gui.file_dialogs import choose_files_to_open
from gui.filter_bar import date_edit, from_qdate, to_qdate
from gui.history_view import history_lines


class ActivityDialog(QDialog):
    """``activity`` None: a new activity (optionally prefilled from ``template``)."""

    def __init__(self, db: sqlite_utils.Database, parent=None, *, activity: Activity | None = None,
                 template: Activity | None = None, default_unit: str | None = None):  # fmt: skip
        super().__init__(parent)
        self.db = db
        self.activity = activity
        self.saved: Activity | None = None
        self.pending_files: list[Path] = []
        self.removed_evidence: list[int] = []
        self.setWindowTitle("Sửa hoạt động" if activity else "Thêm hoạt động")
        self.setMinimumWidth(680)
        self.forms = {t.code: t for t in taxonomy.terms(db, "form")}
        self._build()
        source = activity or template
        if source:
            self._load(source)
            if activity is None:  # a copy is usually the same work done again today
                self.date_from.setDate(to_qdate(dt.date.today()))
                self.multi_day.setChecked(False)
        else:
            self.date_from.setDate(to_qdate(dt.date.today()))
            self.unit.setCurrentIndex(max(0, self.unit.findData(default_unit)))
            self.quantity.setText("1")
            self._show_targets()  # this year's and last year's
        self._on_form_changed()
        self._initial = self.values()

    # --- building ----------------------------------------------------------------

    def _build(self) -> None:
        self.date_from = date_edit()
        self.multi_day = QCheckBox("Nhiều ngày, đến ngày:")
        self.date_to = date_edit()
        self.date_to.setEnabled(False)
        self.multi_day.toggled.connect(self._multi_day_toggled)
        self.unit = QComboBox()
        for unit in units.all_units(self.db):
            self.unit.addItem(unit.name, unit.id)
        self.form = QComboBox()
        self.form.addItem("— Chọn hình thức —", None)
        for term in self.forms.values():
            self.form.addItem(term.label, term.code)
        self.form.currentIndexChanged.connect(self._on_form_changed)
        self.topics = QListWidget()
        self.topics.setMinimumHeight(150)
        self.topics.setMaximumHeight(170)
        for term in taxonomy.terms(self.db, "topic"):
            item = QListWidgetItem(term.label)
            item.setData(Qt.UserRole, term.code)
            item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
            item.setCheckState(Qt.Unchecked)
            self.topics.addItem(item)
        self.title = QLineEdit()
        self.title.setPlaceholderText("Ví dụ: Tuyên truyền hướng dẫn cài đặt VNeID trên trang Facebook của xã")
        self.content = QPlainTextEdit()
        self.content.setMaximumHeight(70)
        self.channel = QComboBox()
        self.channel.setEditable(True)
        self.channel.addItem("")
        for term in taxonomy.terms(self.db, "channel"):
            self.channel.addItem(term.label)
        self.quantity = NumberEdit(placeholder="1")
        self.counted_unit = QLabel()
        self.duration = NumberEdit(placeholder="phút")
        self.participants = NumberEdit()
        self.participants_label = QLabel("Số người tham dự/tiếp cận")
        self.cost = NumberEdit(placeholder="ví dụ 1.500.000")
        self.funding = QComboBox()
        self.funding.addItem("— Không có —", None)
        for term in taxonomy.terms(self.db, "funding"):
            self.funding.addItem(term.label, term.code)
        self.link = QLineEdit()
        self.link.setPlaceholderText("https://…")
        self.notes = QPlainTextEdit()
        self.notes.setMaximumHeight(50)
        self.targets = QListWidget()  # the plan targets counted from linked activities
        self.targets.setMaximumHeight(90)  # filled once the activity's date is known (_show_targets)
        self.evidence = QListWidget()
        self.evidence.setMaximumHeight(80)
        self.evidence.itemDoubleClicked.connect(self._open_evidence)

        self.wrapped = {
            name: FieldWithError(widget)
            for name, widget in {
                "date_from": self.date_from, "date_to": self.date_to, "unit_id": self.unit,
                "form_code": self.form, "topics": self.topics, "title": self.title,
                "content": self.content, "channel": self.channel, "quantity": self.quantity,
                "duration_minutes": self.duration, "participants": self.participants,
                "cost": self.cost, "funding_code": self.funding, "link": self.link, "notes": self.notes,
                "target_ids": self.targets,
            }.items()
        }  # fmt: skip

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        dates = QHBoxLayout()
        dates.addWidget(self.wrapped["date_from"])
        dates.addWidget(self.multi_day)
        dates.addWidget(self.wrapped["date_to"])
        dates.addStretch()
        form.addRow("Ngày thực hiện *", dates)
        form.addRow("Đơn vị thực hiện *", self.wrapped["unit_id"])
        form.addRow("Hình thức *", self.wrapped["form_code"])
        form.addRow("Tên, nội dung hoạt động *", self.wrapped["title"])
        form.addRow("Chủ đề", self.wrapped["topics"])
        form.addRow("Mô tả chi tiết", self.wrapped["content"])
        form.addRow("Kênh, phương tiện", self.wrapped["channel"])
        quantity = QHBoxLayout()
        quantity.addWidget(self.wrapped["quantity"])
        quantity.addWidget(self.counted_unit)
        quantity.addSpacing(16)
        quantity.addWidget(QLabel("Thời lượng (phút)"))
        quantity.addWidget(self.wrapped["duration_minutes"])
        form.addRow("Số lượng *", quantity)
        form.addRow(self.participants_label, self.wrapped["participants"])
        money = QHBoxLayout()
        money.addWidget(self.wrapped["cost"])
        money.addWidget(QLabel("Nguồn"))
        money.addWidget(self.wrapped["funding_code"], 1)
        form.addRow("Kinh phí (đồng)", money)
        form.addRow("Đường dẫn", self.wrapped["link"])
        form.addRow("Ghi chú", self.wrapped["notes"])
        form.addRow("Phục vụ chỉ tiêu", self.wrapped["target_ids"])
        self._form = form
        files = QHBoxLayout()
        files.addWidget(self.evidence, 1)
        buttons = QVBoxLayout()
        for text, slot in (("Thêm tệp…", self._add_files), ("Mở", self._open_evidence),
                           ("Bỏ tệp", self._remove_evidence)):  # fmt: skip
            button = QPushButton(text)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch()
        files.addLayout(buttons)
        form.addRow("Minh chứng (ảnh, văn bản)", files)
        self.history = QListWidget()  # who changed what, newest first (an existing activity only)
        self.history.setMaximumHeight(110)
        self.history.setWordWrap(True)
        form.addRow("Lịch sử thay đổi", self.history)
        form.setRowVisible(self.history, False)

        inner = QWidget()
        inner.setLayout(form)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Save).setText("Lưu")
        self.buttons.button(QDialogButtonBox.Cancel).setText("Hủy")
        order = [self.date_from, self.multi_day, self.date_to, self.unit, self.form, self.title,
                 self.topics, self.content, self.channel, self.quantity, self.duration,
                 self.participants, self.cost, self.funding, self.link, self.notes, self.evidence]  # fmt: skip
        for first, second in zip(order, order[1:]):
            QWidget.setTabOrder(first, second)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        note = QLabel("Các mục có dấu * là bắt buộc.")
        note.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.addWidget(scroll)
        layout.addWidget(note)
        layout.addWidget(self.buttons)
        self.resize(760, 760)

    def _load(self, activity: Activity) -> None:
        self.date_from.setDate(to_qdate(activity.date_from))
        if activity.date_to:
            self.multi_day.setChecked(True)
            self.date_to.setDate(to_qdate(activity.date_to))
        self.unit.setCurrentIndex(max(0, self.unit.findData(activity.unit_id)))
        self.form.setCurrentIndex(max(0, self.form.findData(activity.form_code)))
        for row in range(self.topics.count()):
            item = self.topics.item(row)
            item.setCheckState(Qt.Checked if item.data(Qt.UserRole) in activity.topics else Qt.Unchecked)
        self.title.setText(activity.title)
        self.content.setPlainText(activity.content)
        self.channel.setCurrentText(activity.channel)
        self.quantity.set_value(activity.quantity)
        self.duration.set_value(activity.duration_minutes)
        self.participants.set_value(activity.participants)
        self.cost.set_value(activity.cost)
        self.funding.setCurrentIndex(max(0, self.funding.findData(activity.funding_code)))
        self.link.setText(activity.link)
        self.notes.setPlainText(activity.notes)
        self._show_targets()  # the targets of the activity's year
        linked = set(service.target_ids_of(self.db, activity.id)) if activity.id else set()
        for row in range(self.targets.count()):
            item = self.targets.item(row)
            item.setCheckState(Qt.Checked if item.data(Qt.UserRole) in linked else Qt.Unchecked)
        if self.activity is not None and activity.uuid:
            lines = history_lines(self.db, activity.uuid)
            self.history.addItems(lines)
            self._form.setRowVisible(self.history, bool(lines))
        if self.activity is not None:  # a copy starts without the original's files
            for ev in activity.evidence:
                item = QListWidgetItem(f"{ev.file_name} ({format_number(max(1, ev.size // 1024))} KB)")
                item.setData(Qt.UserRole, ev.id)
                self.evidence.addItem(item)

    # --- behaviour ---------------------------------------------------------------

    def _show_targets(self) -> None:
        self.targets.clear()
        self._fill_targets()
        self._form.setRowVisible(self.wrapped["target_ids"], self.targets.count() > 0)

    def _fill_targets(self) -> None:
        """Targets counted from the activities linked to them, of the active plans of this year and last."""
        from core import plans

        year = self.date_from.date().year()
        for target in plans.targets_for_year(self.db, year) + plans.targets_for_year(self.db, year - 1):
            if target.source == "linked":
                item = QListWidgetItem(f"{target.name} (năm {target.year})")
                item.setData(Qt.UserRole, target.id)
                item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
                item.setCheckState(Qt.Unchecked)
                self.targets.addItem(item)

    def _multi_day_toggled(self, checked: bool) -> None:
        self.date_to.setEnabled(checked)
        if checked and self.date_to.date() < self.date_from.date():
            self.date_to.setDate(self.date_from.date())

    def _on_form_changed(self) -> None:
        term = self.forms.get(self.form.currentData())
        self.counted_unit.setText(term.counted_unit if term else "")
        self.participants_label.setText(term.extra_label if term and term.extra_label else "Số người tham dự/tiếp cận")

    def values(self) -> dict:
        return {
            "date_from": from_qdate(self.date_from.date()),
            "date_to": from_qdate(self.date_to.date()) if self.multi_day.isChecked() else None,
            "unit_id": self.unit.currentData(),
            "form_code": self.form.currentData(),
            "topics": [
                self.topics.item(r).data(Qt.UserRole)
                for r in range(self.topics.count())
                if self.topics.item(r).checkState() == Qt.Checked
            ],
            "title": self.title.text(),
            "content": self.content.toPlainText(),
            "channel": self.channel.currentText(),
            "quantity": self.quantity.text(),
            "duration_minutes": self.duration.text(),
            "participants": self.participants.text(),
            "cost": self.cost.text(),
            "funding_code": self.funding.currentData(),
            "link": self.link.text(),
            "notes": self.notes.toPlainText(),
            "target_ids": [
                self.targets.item(r).data(Qt.UserRole)
                for r in range(self.targets.count())
                if self.targets.item(r).checkState() == Qt.Checked
            ],
        }

    def show_errors(self, errors: dict[str, str]) -> None:
        show_field_errors(self.wrapped, errors)

    def save(self) -> None:
        try:
            self.saved = service.save_activity(
                self.db,
                self.activity.id if self.activity else None,
                self.values(),
                add_files=self.pending_files,
                remove_evidence_ids=self.removed_evidence,
            )
        except ValidationError as exc:
            self.show_errors(exc.fields)
            return
        except UserError as exc:
            QMessageBox.warning(self, "Chưa lưu được", exc.message)
            return
        except (sqlite3.Error, OSError) as exc:  # disk full, folder made read-only...: the typed values stay
            logging.getLogger("so_tuyen_truyen").exception("saving an activity failed")
            QMessageBox.warning(self, "Chưa lưu được", describe_unexpected(exc) +
                                "\nNhững gì vừa nhập vẫn còn trong cửa sổ này.")  # fmt: skip
            return
        self.accept()

    def reject(self) -> None:
        changed = self.values() != self._initial or self.pending_files or self.removed_evidence
        if changed and self.saved is None:
            answer = QMessageBox.question(
                self, "Đóng mà không lưu?",
                "Những gì vừa nhập chưa được lưu. Đóng cửa sổ và bỏ các thay đổi này?",
                QMessageBox.Yes | QMessageBox.No, QMessageBox.No,
            )  # fmt: skip
            if answer != QMessageBox.Yes:
                return
        super().reject()

    # --- evidence ------------------------------------------------------------------

    def _add_files(self) -> None:
        paths = choose_files_to_open(
            self, "Chọn tệp minh chứng",
            "Ảnh, văn bản (*.jpg *.jpeg *.png *.pdf *.doc *.docx *.xls *.xlsx *.mp3 *.mp4);;Mọi tệp (*)",
        )  # fmt: skip
        for path in paths:
            self.pending_files.append(Path(path))
            item = QListWidgetItem(f"{Path(path).name} (chưa lưu)")
            item.setData(Qt.UserRole, str(path))
            self.evidence.addItem(item)

    def _open_evidence(self, *_args) -> None:
        item = self.evidence.currentItem()
        if item is None:
            return
        ref = item.data(Qt.UserRole)
        try:
            path = Path(ref) if isinstance(ref, str) else evidence_file(self.db, ref)
        except UserError as exc:
            QMessageBox.warning(self, "Không mở được tệp", exc.message)
            return
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def _remove_evidence(self) -> None:
        item = self.evidence.currentItem()
        if item is None:
            return
        ref = item.data(Qt.UserRole)
        if isinstance(ref, str):
            self.pending_files = [p for p in self.pending_files if str(p) != ref]
        else:
            self.removed_evidence.append(ref)
        self.evidence.takeItem(self.evidence.row(item))
