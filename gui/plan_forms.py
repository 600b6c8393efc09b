"""The forms of Kế hoạch và chỉ tiêu: a plan, one of its targets (what is planned and how it is measured),
a manual target's value."""

from __future__ import annotations

import datetime as dt
from html import escape
from pathlib import Path

import sqlite_utils
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QGridLayout, QHBoxLayout, QLabel, QLineEdit,
    QListWidget, QListWidgetItem, QMessageBox, QPushButton, QSpinBox, QVBoxLayout, QWidget,
)  # fmt: skip

from core import plans, taxonomy, units
from core.achievement import achievement
from core.errors import UserError, ValidationError
from core.text import format_date, format_number
from gui.fields import FieldWithError, NumberEdit, show_field_errors
from gui.filter_bar import date_edit, from_qdate, to_qdate

UNIT_KIND_LABELS = {"count": "Số lượng", "percent": "%", "money": "Đồng"}
SOURCE_LABELS = {"log": "Tính từ sổ hoạt động", "linked": "Theo hoạt động được gắn", "manual": "Nhập tay"}
SOURCE_HINTS = {
    "log": "Tự tính từ sổ hoạt động: các hoạt động khớp hình thức, chủ đề và đơn vị đã chọn"
           " (kể cả đơn vị cấp dưới). Không chọn mục nào trong một danh sách là tính tất cả.",
    "linked": "Chỉ tính các hoạt động đã được gắn với chỉ tiêu này.",
    "manual": "Cán bộ tự nhập giá trị đạt được theo từng thời điểm (ví dụ tỷ lệ % theo báo cáo của ngành).",
}  # fmt: skip


def taxonomy_labels(db: sqlite_utils.Database, kind: str) -> list[tuple[str, str]]:
    return [(term.code, term.label) for term in taxonomy.terms(db, kind)]


def format_amount(value: float | None, target: plans.Target) -> str:
    """A planned or achieved figure with its unit: "24 tin, bài", "50%", "15.000.000 đồng"."""
    if value is None:
        return "—"
    if target.unit_kind == "percent":
        return f"{format_number(round(value, 1))}%"
    number = format_number(round(value) if target.unit_kind == "money" else round(value, 2))
    return f"{number} {target.unit_label}".strip()


def describe_measure(db: sqlite_utils.Database, target: plans.Target) -> str:
    """How the achieved figure is obtained, for the targets table: "Số lượng — từ sổ hoạt động\nHình thức: …"."""
    if target.source == "manual":
        return SOURCE_LABELS["manual"]
    where = "từ sổ hoạt động" if target.source == "log" else "các hoạt động được gắn"
    lines = [f"{plans.MEASURES[target.measure]} — {where}"]
    if target.source == "log":
        for codes, kind, title in ((target.form_codes, "form", "Hình thức"), (target.topic_codes, "topic", "Chủ đề")):
            if codes:
                names = dict(taxonomy_labels(db, kind))
                lines.append(f"{title}: {'; '.join(names.get(c, c) for c in codes)}")
        if target.unit_ids:
            names = {u.id: u.name for u in units.all_units(db)}
            lines.append(f"Đơn vị: {'; '.join(names.get(u, u) for u in target.unit_ids)}")
    return "\n".join(lines)


def check_list(items: list[tuple[str, str]]) -> QListWidget:
    """A list of checkable items carrying their codes."""
    widget = QListWidget()
    for code, label in items:
        item = QListWidgetItem(label)
        item.setData(Qt.UserRole, code)
        item.setToolTip(label)
        item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
        item.setCheckState(Qt.Unchecked)
        widget.addItem(item)
    return widget


def checked_codes(widget: QListWidget) -> list[str]:
    return [widget.item(r).data(Qt.UserRole) for r in range(widget.count())
            if widget.item(r).checkState() == Qt.Checked]  # fmt: skip


def set_checked(widget: QListWidget, codes: list[str]) -> None:
    for row in range(widget.count()):
        item = widget.item(row)
        item.setCheckState(Qt.Checked if item.data(Qt.UserRole) in codes else Qt.Unchecked)


class PlanDialog(QDialog):
    """Add a plan, or edit ``plan``: its number, date, issuer, title, years and status."""

    def __init__(self, db: sqlite_utils.Database, parent=None, *, plan: plans.Plan | None = None,
                 today: dt.date | None = None):  # fmt: skip
        super().__init__(parent)
        self.db = db
        self.plan = plan
        self.saved: plans.Plan | None = None
        self.setWindowTitle("Sửa kế hoạch" if plan else "Thêm kế hoạch")
        year = (today or dt.date.today()).year
        self.number = QLineEdit()
        self.number.setPlaceholderText("ví dụ: 148/KH-UBND")
        self.issued_on = QLineEdit()
        self.issued_on.setPlaceholderText("ngày/tháng/năm, ví dụ 15/01/2025")
        self.issuer = QLineEdit()
        self.issuer.setPlaceholderText("ví dụ: Ủy ban nhân dân xã")
        self.title = QLineEdit()
        self.title.setPlaceholderText("ví dụ: Kế hoạch tuyên truyền về chuyển đổi số năm 2025")
        self.year_from = QSpinBox()
        self.year_to = QSpinBox()
        for spin in (self.year_from, self.year_to):
            spin.setRange(2000, 2100)
            spin.setValue(year)
        self.status = QComboBox()
        for code, label in plans.STATUSES.items():
            self.status.addItem(label, code)
        self.wrapped = {
            name: FieldWithError(widget)
            for name, widget in {"number": self.number, "issued_on": self.issued_on, "issuer": self.issuer,
                                 "title": self.title, "year_from": self.year_from, "year_to": self.year_to,
                                 "status": self.status}.items()  # fmt: skip
        }
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        form.addRow("Số, ký hiệu", self.wrapped["number"])
        form.addRow("Ngày ban hành", self.wrapped["issued_on"])
        form.addRow("Cơ quan ban hành", self.wrapped["issuer"])
        form.addRow("Tên kế hoạch (trích yếu) *", self.wrapped["title"])
        years = QHBoxLayout()
        years.addWidget(self.wrapped["year_from"])
        years.addWidget(QLabel("Đến năm *"))
        years.addWidget(self.wrapped["year_to"])
        years.addStretch()
        form.addRow("Từ năm *", years)
        form.addRow("Trạng thái", self.wrapped["status"])
        self.document = QLabel("Chưa có")
        self.document.setWordWrap(True)
        self.pending_document: str | None = None
        choose = QPushButton("Chọn tệp…")
        choose.clicked.connect(self._choose_document)
        self.open_document = QPushButton("Mở")
        self.open_document.clicked.connect(self._open_document)
        self.open_document.setEnabled(bool(plan and plan.document_name))
        document_row = QHBoxLayout()
        document_row.addWidget(self.document, 1)
        document_row.addWidget(choose)
        document_row.addWidget(self.open_document)
        form.addRow("Văn bản kế hoạch (PDF, Word)", document_row)
        buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Save).setText("Lưu")
        buttons.button(QDialogButtonBox.Cancel).setText("Hủy")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        note = QLabel("Các mục có dấu * là bắt buộc.")
        note.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.resize(620, 0)
        if plan:
            self.number.setText(plan.number)
            self.issued_on.setText(format_date(plan.issued_on))
            self.issuer.setText(plan.issuer)
            self.title.setText(plan.title)
            self.year_from.setValue(plan.year_from)
            self.year_to.setValue(plan.year_to)
            self.status.setCurrentIndex(max(0, self.status.findData(plan.status)))
            if plan.document_name:
                self.document.setText(plan.document_name)

    def values(self) -> dict:
        return {"number": self.number.text(), "issued_on": self.issued_on.text(), "issuer": self.issuer.text(),
                "title": self.title.text(), "year_from": self.year_from.value(), "year_to": self.year_to.value(),
                "status": self.status.currentData()}  # fmt: skip

    def _choose_document(self) -> None:
        from gui.file_dialogs import choose_files_to_open

        chosen = choose_files_to_open(self, "Chọn văn bản kế hoạch", "Văn bản (*.pdf *.docx *.doc);;Mọi tệp (*)")
        if chosen:
            self.pending_document = chosen[0]
            self.document.setText(f"{Path(chosen[0]).name} (chưa lưu)")

    def _open_document(self) -> None:
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        path = plans.document_path(self.db, self.plan) if self.plan else None
        if path is None:
            QMessageBox.warning(self, "Không mở được", "Không tìm thấy văn bản kế hoạch trong thư mục dữ liệu.")
            return
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def save(self) -> None:
        try:
            if self.plan:
                self.saved = plans.update_plan(self.db, self.plan.id, self.values())
            else:
                self.saved = plans.create_plan(self.db, self.values())
                self.plan = self.saved  # saving again (after a file problem) updates it, not a second plan
            if self.pending_document:
                self.saved = plans.attach_document(self.db, self.saved.id, self.pending_document)
        except ValidationError as exc:
            show_field_errors(self.wrapped, exc.fields)
            return
        except UserError as exc:
            QMessageBox.warning(self, "Chưa lưu được", exc.message)
            return
        self.accept()


def plan_heading(plan: plans.Plan) -> str:
    """ "148/KH-UBND ngày 15/01/2025 của Ủy ban nhân dân tỉnh" (the parts that are known)."""
    text = plan.number or "Kế hoạch chưa có số"
    if plan.issued_on:
        text += f" ngày {format_date(plan.issued_on)}"
    if plan.issuer:
        text += f" của {plan.issuer}"
    return text


class TargetDialog(QDialog):
    """Add a target to ``plan`` (for ``year``), or edit ``target``."""

    def __init__(self, db: sqlite_utils.Database, plan: plans.Plan, parent=None, *,
                 target: plans.Target | None = None, year: int | None = None):  # fmt: skip
        super().__init__(parent)
        self.db = db
        self.plan = plan
        self.target = target
        self.saved: plans.Target | None = None
        self.setWindowTitle("Sửa chỉ tiêu" if target else "Thêm chỉ tiêu")
        self.forms = taxonomy_labels(db, "form")
        self._build()
        if target:
            self._load(target)
        else:
            self.year.setCurrentIndex(max(0, self.year.findData(year)))
        self._show_unit_label()
        self._source_changed()

    def _build(self) -> None:
        self.name = QLineEdit()
        self.name.setPlaceholderText("Ví dụ: Tin, bài về chuyển đổi số trên trang thông tin điện tử của xã")
        self.year = QComboBox()
        years = set(range(self.plan.year_from, self.plan.year_to + 1)) | ({self.target.year} if self.target else set())
        for year in sorted(years):
            self.year.addItem(str(year), year)
        self.planned = NumberEdit(placeholder="ví dụ 24")
        self.planned.setMaximumWidth(240)
        self.unit_kind = QComboBox()
        for kind, label in UNIT_KIND_LABELS.items():
            self.unit_kind.addItem(label, kind)
        self.unit_kind.currentIndexChanged.connect(self._kind_changed)
        self.unit_label = QLineEdit()
        self.unit_label.setPlaceholderText("ví dụ: tin, bài")
        self.unit_label_caption = QLabel("Tên đơn vị tính")
        self.source = QComboBox()
        for source, label in SOURCE_LABELS.items():
            self.source.addItem(label, source)
        self.source.currentIndexChanged.connect(self._source_changed)
        self.source_hint = QLabel()
        self.source_hint.setWordWrap(True)
        self.source_hint.setStyleSheet("color: #555;")
        self.measure = QComboBox()
        for measure, label in plans.MEASURES.items():
            self.measure.addItem(label, measure)
        self.form_list = check_list(self.forms)
        self.form_list.setMinimumHeight(170)
        self.form_list.itemChanged.connect(self._form_checked)
        self.topic_list = check_list(taxonomy_labels(self.db, "topic"))
        self.unit_list = check_list([(u.id, u.name) for u in units.all_units(self.db)])
        for widget in (self.topic_list, self.unit_list):
            widget.setMinimumHeight(150)

        self.wrapped = {
            name: FieldWithError(widget)
            for name, widget in {
                "name": self.name, "year": self.year, "planned": self.planned, "unit_kind": self.unit_kind,
                "source": self.source, "measure": self.measure, "form_codes": self.form_list,
                "topic_codes": self.topic_list, "unit_ids": self.unit_list,
            }.items()
        }  # fmt: skip
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        self.form.addRow("Tên chỉ tiêu *", self.wrapped["name"])
        self.form.addRow("Năm *", self.wrapped["year"])
        self.form.addRow("Kế hoạch *", self.wrapped["planned"])
        unit = QHBoxLayout()
        unit.addWidget(self.wrapped["unit_kind"])
        unit.addSpacing(12)
        unit.addWidget(self.unit_label_caption)
        unit.addWidget(self.unit_label, 1)
        unit.addStretch()  # the kind list keeps its width when there is no unit name (%)
        self.form.addRow("Đơn vị tính", unit)
        source = QVBoxLayout()
        source.addWidget(self.wrapped["source"])
        source.addWidget(self.source_hint)
        self.form.addRow("Cách tính", source)
        self.form.addRow("Cách đếm", self.wrapped["measure"])
        self.form.addRow("Hình thức", self.wrapped["form_codes"])
        lists = QWidget()
        grid = QGridLayout(lists)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(QLabel("Chủ đề"), 0, 0)
        grid.addWidget(QLabel("Đơn vị (gồm cả đơn vị cấp dưới)"), 0, 1)
        grid.addWidget(self.wrapped["topic_codes"], 1, 0)
        grid.addWidget(self.wrapped["unit_ids"], 1, 1)
        self.lists_row = lists
        self.form.addRow("", lists)

        self.buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Save).setText("Lưu")
        self.buttons.button(QDialogButtonBox.Cancel).setText("Hủy")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        plan_line = QLabel(f"Kế hoạch: {self.plan.number + ' — ' if self.plan.number else ''}{self.plan.title}")
        plan_line.setWordWrap(True)
        plan_line.setStyleSheet("color: #555;")
        note = QLabel("Các mục có dấu * là bắt buộc.")
        note.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.addWidget(plan_line)
        layout.addLayout(self.form)
        layout.addWidget(note)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(780)

    def _load(self, target: plans.Target) -> None:
        self.name.setText(target.name)
        self.year.setCurrentIndex(max(0, self.year.findData(target.year)))
        self.planned.setText(format_number(target.planned))
        self.unit_kind.setCurrentIndex(max(0, self.unit_kind.findData(target.unit_kind)))
        self.unit_label.setText("" if target.unit_kind == "percent" else target.unit_label)
        self.source.setCurrentIndex(max(0, self.source.findData(target.source)))
        self.measure.setCurrentIndex(max(0, self.measure.findData(target.measure)))
        set_checked(self.form_list, target.form_codes)
        set_checked(self.topic_list, target.topic_codes)
        set_checked(self.unit_list, target.unit_ids)

    # --- behaviour ---------------------------------------------------------------

    def _show_unit_label(self) -> None:
        percent = self.unit_kind.currentData() == "percent"
        self.unit_label.setVisible(not percent)
        self.unit_label_caption.setVisible(not percent)

    def _kind_changed(self) -> None:
        """Money is counted as cost, and named "đồng" unless the officer says otherwise."""
        kind = self.unit_kind.currentData()
        self._show_unit_label()
        if kind == "money":
            self.measure.setCurrentIndex(self.measure.findData("cost"))
            if not self.unit_label.text():
                self.unit_label.setText(plans.UNIT_KINDS["money"])
        elif self.measure.currentData() == "cost":
            self.measure.setCurrentIndex(self.measure.findData("count"))
        if kind != "money" and self.unit_label.text() == plans.UNIT_KINDS["money"]:
            self.unit_label.clear()

    def _source_changed(self) -> None:
        source = self.source.currentData()
        self.source_hint.setText(SOURCE_HINTS[source])
        self.form.setRowVisible(self.wrapped["measure"], source != "manual")
        for widget in (self.wrapped["form_codes"], self.lists_row):
            self.form.setRowVisible(widget, source == "log")
        self.adjustSize()  # shrinks when the lists go, grows back when they return

    def _form_checked(self, _item=None) -> None:
        """One form chosen and no unit named yet: count in that form's unit ("tin, bài")."""
        codes = checked_codes(self.form_list)
        if len(codes) == 1 and not self.unit_label.text() and self.unit_kind.currentData() == "count":
            counted = next((t.counted_unit for t in taxonomy.terms(self.db, "form") if t.code == codes[0]), "")
            if counted:
                self.unit_label.setText(counted)

    def values(self) -> dict:
        source = self.source.currentData()
        return {
            "name": self.name.text(),
            "year": self.year.currentData(),
            "planned": self.planned.text(),
            "unit_kind": self.unit_kind.currentData(),
            "unit_label": "" if self.unit_kind.currentData() == "percent" else self.unit_label.text(),
            "source": source,
            "measure": self.measure.currentData() if source != "manual" else "count",
            "form_codes": checked_codes(self.form_list) if source == "log" else [],
            "topic_codes": checked_codes(self.topic_list) if source == "log" else [],
            "unit_ids": checked_codes(self.unit_list) if source == "log" else [],
            "sort_order": self.target.sort_order if self.target else self._next_sort_order(),
        }

    def _next_sort_order(self) -> int:
        year = self.year.currentData()
        orders = [t.sort_order for t in plans.targets_for_plan(self.db, self.plan.id, year)]
        return max(orders, default=-1) + 1

    def show_errors(self, errors: dict[str, str]) -> None:
        show_field_errors(self.wrapped, errors)

    def save(self) -> None:
        try:
            if self.target:
                self.saved = plans.update_target(self.db, self.target.id, self.values())
            else:
                self.saved = plans.create_target(self.db, self.plan.id, self.values())
        except ValidationError as exc:
            self.show_errors(exc.fields)
            return
        except UserError as exc:
            QMessageBox.warning(self, "Chưa lưu được", exc.message)
            return
        self.accept()


class ValueDialog(QDialog):
    """A manual target's value as of a date ("đến 30/6: 62%"), with a note."""

    def __init__(self, db: sqlite_utils.Database, target: plans.Target, parent=None, *, today: dt.date | None = None):
        super().__init__(parent)
        self.db = db
        self.target = target
        self.recorded = False
        self.setWindowTitle("Nhập giá trị đạt được")
        today = today or dt.date.today()
        self.as_of = date_edit()
        first, last = dt.date(target.year, 1, 1), dt.date(target.year, 12, 31)
        self.as_of.setDateRange(to_qdate(first), to_qdate(last))  # a value counts for its target's year
        self.as_of.setDate(to_qdate(min(max(today, first), last)))
        self.value = QLineEdit()
        self.value.setPlaceholderText("ví dụ 62" if target.unit_kind == "percent" else "ví dụ 12")
        self.note = QLineEdit()
        self.note.setPlaceholderText("Ví dụ: Theo báo cáo của phòng Giáo dục và Đào tạo")
        self.wrapped = {"value": FieldWithError(self.value)}
        latest = achievement(self.db, target, first, last, today=today).achieved
        unit = "%" if target.unit_kind == "percent" else target.unit_label
        heading = QLabel(f"<b>{escape(target.name)}</b> — năm {target.year},"
                         f" kế hoạch {format_amount(target.planned, target)}")  # fmt: skip
        heading.setWordWrap(True)
        previous = QLabel("Chưa nhập giá trị nào." if latest is None else
                          f"Giá trị đã nhập gần nhất: {format_amount(latest, target)}.")  # fmt: skip
        previous.setStyleSheet("color: #555;")
        value_row = QHBoxLayout()
        value_row.addWidget(self.wrapped["value"], 1)
        value_row.addWidget(QLabel(unit))
        form = QFormLayout()
        form.addRow("Tính đến ngày *", self.as_of)
        form.addRow("Giá trị đạt được *", value_row)
        form.addRow("Ghi chú, nguồn số liệu", self.note)
        self.evidence_path: str | None = None
        self.evidence = QLabel("Không có")
        attach = QPushButton("Chọn tệp…")
        attach.clicked.connect(self._choose_evidence)
        evidence_row = QHBoxLayout()
        evidence_row.addWidget(self.evidence, 1)
        evidence_row.addWidget(attach)
        form.addRow("Tệp minh chứng", evidence_row)
        buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Save).setText("Lưu")
        buttons.button(QDialogButtonBox.Cancel).setText("Hủy")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(previous)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(520, 220)

    def _choose_evidence(self) -> None:
        from gui.file_dialogs import choose_files_to_open

        chosen = choose_files_to_open(self, "Chọn tệp minh chứng", "Mọi tệp (*)")
        if chosen:
            self.evidence_path = chosen[0]
            self.evidence.setText(Path(chosen[0]).name)

    def save(self) -> None:
        try:
            plans.record_value(self.db, self.target.id, from_qdate(self.as_of.date()), self.value.text(),
                               self.note.text(), evidence=self.evidence_path)  # fmt: skip
        except ValidationError as exc:
            self.wrapped["value"].show_error(exc.fields.get("value") or exc.message)
            self.value.setFocus()
            return
        except UserError as exc:
            QMessageBox.warning(self, "Chưa lưu được", exc.message)
            return
        self.recorded = True
        self.accept()

