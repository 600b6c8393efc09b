"""One report's form: header, the five sections, signature; saved as the officer types."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QSpinBox,
    QTabWidget, QVBoxLayout, QWidget,
)  # fmt: skip

from core.errors import UserError, ValidationError
from core.reports import store
from core.reports.draft import outline
from core.text import format_date
from gui.fields import FieldWithError
from gui.filter_bar import date_edit, from_qdate, to_qdate

AUTHORITIES = ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "Q. CHỦ TỊCH", "TL. CHỦ TỊCH", "TUQ. CHỦ TỊCH", ""]


def _plain(lines: list[str], height: int = 60) -> QPlainTextEdit:
    edit = QPlainTextEdit("\n".join(lines))
    edit.setMaximumHeight(height)
    return edit


class ReportEditor(QWidget):
    saved = Signal(object)  # Report, after each autosave
    save_failed = Signal(str)

    def __init__(self, db, report: store.Report, parent=None):
        super().__init__(parent)
        self.db = db
        self.report = report
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(700)
        self._timer.timeout.connect(self.save_now)

        self.agency_parent = QLineEdit(report.agency_parent)
        self.agency_name = QLineEdit(report.agency_name)
        self.doc_number = QSpinBox()
        self.doc_number.setRange(0, 9999)
        self.doc_number.setSpecialValueText("…")
        self.doc_number.setValue(report.doc_number or 0)
        self.doc_symbol = QLineEdit(report.doc_symbol)
        self.place = QLineEdit(report.place)
        self.doc_date = date_edit()
        self.doc_date.setDate(to_qdate(report.doc_date))
        self.summary = QLineEdit(report.summary)
        self.recipients = _plain(report.recipients, 90)
        self.recipients.setPlaceholderText("Mỗi cơ quan nhận một dòng")
        header = QWidget()
        form = QFormLayout(header)
        form.addRow("Cơ quan cấp trên", self.agency_parent)
        form.addRow("Cơ quan ban hành", self.agency_name)
        number = QHBoxLayout()
        self.wrapped = {"doc_number": FieldWithError(self.doc_number), "doc_symbol": FieldWithError(self.doc_symbol),
                        "signer": None}  # fmt: skip
        number.addWidget(QLabel("Số:"))
        number.addWidget(self.wrapped["doc_number"])
        number.addWidget(QLabel("/"))
        number.addWidget(self.wrapped["doc_symbol"])
        number.addSpacing(20)
        number.addWidget(QLabel("Địa danh:"))
        number.addWidget(self.place)
        number.addWidget(QLabel("ngày"))
        number.addWidget(self.doc_date)
        form.addRow("Số, ký hiệu", number)
        form.addRow("Trích yếu", self.summary)
        form.addRow("Kính gửi", self.recipients)

        self.sections = QTabWidget()
        self.section_edits: dict[str, QPlainTextEdit] = {}
        tab_titles = {s["key"]: s.get("tab", s["heading"]) for s in outline()["sections"]}
        for section in report.sections:
            edit = QPlainTextEdit(section.text)
            edit.setPlaceholderText("Mỗi đoạn một dòng.")
            self.section_edits[section.key] = edit
            self.sections.addTab(edit, tab_titles.get(section.key, section.heading))

        self.authority = QComboBox()
        self.authority.setEditable(True)
        self.authority.addItems(AUTHORITIES)
        self.authority.setCurrentText(report.authority)
        self.title_lines = _plain(report.title_lines, 50)
        self.signer = QLineEdit(report.signer)
        self.signer.setPlaceholderText("Họ và tên người ký")
        self.wrapped["signer"] = FieldWithError(self.signer)
        self.noi_nhan = _plain(report.noi_nhan, 80)
        signature = QWidget()
        sign_form = QFormLayout(signature)
        sign_form.addRow("Quyền hạn ký", self.authority)
        sign_form.addRow("Chức vụ (mỗi dòng một dòng in)", self.title_lines)
        sign_form.addRow("Người ký *", self.wrapped["signer"])
        sign_form.addRow("Nơi nhận", self.noi_nhan)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        period = report.period
        self.period_label = QLabel(
            f"<b>{report.summary}</b> — số liệu từ {format_date(period.start)} đến {format_date(period.end)}"
        )
        layout.addWidget(self.period_label)
        # One tab per part of the paper form, so the text being written gets the whole height.
        self.sections.insertTab(0, header, "Phần đầu văn bản")
        self.sections.addTab(signature, "Chữ ký, nơi nhận")
        self.sections.setCurrentIndex(1)
        layout.addWidget(self.sections, 1)
        hint = QLabel("Mỗi đoạn một dòng; dòng ngắn bắt đầu bằng “1.” hoặc “a)” là tiêu đề mục. "
                      "Phần II được soạn sẵn từ sổ hoạt động; sửa tự do.")  # fmt: skip
        hint.setStyleSheet("color: #555;")
        hint.setWordWrap(True)
        layout.addWidget(hint)

        for edit in (self.agency_parent, self.agency_name, self.doc_symbol, self.place, self.summary, self.signer):
            edit.textEdited.connect(self._changed)
        for edit in (self.recipients, self.title_lines, self.noi_nhan, *self.section_edits.values()):
            edit.textChanged.connect(self._changed)
        self.doc_number.valueChanged.connect(self._changed)
        self.doc_date.dateChanged.connect(self._changed)
        self.authority.currentTextChanged.connect(self._changed)
        self.set_read_only(report.status == store.STATUS_FINAL)

    def set_read_only(self, read_only: bool) -> None:
        for widget in (self.agency_parent, self.agency_name, self.doc_symbol, self.place, self.summary,
                       self.signer, self.recipients, self.title_lines, self.noi_nhan, *self.section_edits.values()):  # fmt: skip
            widget.setReadOnly(read_only)
        for widget in (self.doc_number, self.doc_date, self.authority):
            widget.setEnabled(not read_only)

    def _changed(self, *_args) -> None:
        if self.report.status != store.STATUS_FINAL:
            self._timer.start()

    @property
    def dirty(self) -> bool:
        return self._timer.isActive()

    def values(self) -> store.Report:
        report = self.report
        for section in report.sections:
            section.text = self.section_edits[section.key].toPlainText()
        report.agency_parent = self.agency_parent.text()
        report.agency_name = self.agency_name.text()
        report.doc_number = self.doc_number.value() or None
        report.doc_symbol = self.doc_symbol.text()
        report.place = self.place.text()
        report.doc_date = from_qdate(self.doc_date.date())
        report.summary = self.summary.text()
        report.recipients = self.recipients.toPlainText().splitlines()
        report.authority = self.authority.currentText()
        report.title_lines = self.title_lines.toPlainText().splitlines()
        report.signer = self.signer.text()
        report.noi_nhan = self.noi_nhan.toPlainText().splitlines()
        return report

    def save_now(self) -> bool:
        """Write what is on screen; False (and the reason shown) if it could not be saved."""
        self._timer.stop()
        try:
            self.report = store.save_report(self.db, self.values())
        except ValidationError as exc:
            for name, wrapper in self.wrapped.items():
                wrapper.show_error(exc.fields.get(name))
            self.save_failed.emit(exc.message)
            return False
        except UserError as exc:
            self.save_failed.emit(exc.message)
            return False
        for wrapper in self.wrapped.values():
            wrapper.show_error(None)
        self.saved.emit(self.report)
        return True

    def load_sections(self, report: store.Report) -> None:
        """Show re-drafted section texts (after the officer agreed)."""
        self.report = report
        for section in report.sections:
            edit = self.section_edits[section.key]
            if edit.toPlainText() != section.text:
                edit.blockSignals(True)
                edit.setPlainText(section.text)
                edit.blockSignals(False)
