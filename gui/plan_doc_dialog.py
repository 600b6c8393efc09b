"""The unit's yearly communication plan as a Word document: read the drafted parts, edit, save.

Each part is drafted from the year's targets and last year's log (core/plan_doc.py);
what the officer types is kept per year in the settings as they type, so closing the
window loses nothing, and "Soạn lại từ số liệu" asks before replacing their words.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import sqlite_utils
from PySide6.QtCore import QDate, QTimer
from PySide6.QtWidgets import (
    QDateEdit, QDialog, QFormLayout, QHBoxLayout, QLabel, QMessageBox, QPlainTextEdit, QPushButton, QSpinBox,
    QTabWidget, QVBoxLayout,
)  # fmt: skip

from core import settings
from core.errors import UserError
from core.plan_doc import Part, draft_parts, write_plan_doc
from gui.file_dialogs import choose_file_to_save

_KEY = "plan_doc_{year}"  # settings: the officer's texts for that year's plan


class PlanDocDialog(QDialog):
    def __init__(self, db: sqlite_utils.Database, parent=None, *, today: dt.date | None = None):
        super().__init__(parent)
        self.db = db
        self.today = today or dt.date.today()
        self.setWindowTitle("Lập kế hoạch tuyên truyền của đơn vị")
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(self.today.year + (1 if self.today.month >= 10 else 0))  # plans are made late in the year
        self.number = QSpinBox()
        self.number.setRange(0, 999)
        self.number.setSpecialValueText("để trống (…)")
        self.date = QDateEdit(QDate(self.today.year, self.today.month, self.today.day))
        self.date.setDisplayFormat("dd/MM/yyyy")
        self.date.setCalendarPopup(True)
        header = QFormLayout()
        header.addRow("Kế hoạch năm", self.year)
        header.addRow("Số văn bản (…/KH-UBND)", self.number)
        header.addRow("Ngày ban hành", self.date)
        self.tabs = QTabWidget()
        self.edits: list[QPlainTextEdit] = []
        self.headings: list[str] = []
        self.note = QLabel("Mỗi đoạn một dòng; dòng bắt đầu bằng “1.” là tiêu đề mục. Phụ lục (chỉ tiêu, hoạt động "
                           "dự kiến, dự toán kinh phí) được lập từ số liệu khi lưu.")  # fmt: skip
        self.note.setWordWrap(True)
        redraft = QPushButton("Soạn lại từ số liệu")
        redraft.clicked.connect(self.redraft)
        save = QPushButton("Lưu Word…")
        save.setDefault(True)
        save.clicked.connect(self.save_word)
        close = QPushButton("Đóng")
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(redraft)
        buttons.addStretch()
        buttons.addWidget(save)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.note)
        layout.addLayout(buttons)
        self._autosave = QTimer(self, singleShot=True, interval=700)
        self._autosave.timeout.connect(self._keep)
        self.year.valueChanged.connect(lambda _y: self._load())
        self.saved_path: Path | None = None
        self._load()
        self.resize(860, 640)

    # --- texts --------------------------------------------------------------------------

    def _load(self) -> None:
        kept = settings.get(self.db, _KEY.format(year=self.year.value())) or {}
        parts = draft_parts(self.db, self.year.value())
        self.tabs.clear()
        self.edits, self.headings = [], []
        for part in parts:
            edit = QPlainTextEdit(kept.get(part.heading, part.text))
            edit.textChanged.connect(self._autosave.start)
            self.edits.append(edit)
            self.headings.append(part.heading)
            self.tabs.addTab(edit, part.heading.split(". ", 1)[0] + ". " + part.heading.split(". ", 1)[-1].capitalize())

    def parts(self) -> list[Part]:
        return [Part(heading, edit.toPlainText()) for heading, edit in zip(self.headings, self.edits)]

    def _keep(self) -> None:
        settings.put(self.db, _KEY.format(year=self.year.value()), {p.heading: p.text for p in self.parts()})

    def redraft(self) -> None:
        drafted = draft_parts(self.db, self.year.value())
        changed = [p.heading for p, d in zip(self.parts(), drafted) if p.text != d.text]
        if changed and QMessageBox.question(
            self, "Soạn lại từ số liệu",
            "Các phần sau sẽ được thay bằng nội dung soạn từ số liệu:\n" + "\n".join(changed) + "\nThay?",
            QMessageBox.Yes | QMessageBox.No, QMessageBox.No,
        ) != QMessageBox.Yes:  # fmt: skip
            return
        for edit, part in zip(self.edits, drafted):
            edit.setPlainText(part.text)
        self._keep()

    # --- the file ----------------------------------------------------------------------

    def save_word(self) -> None:
        self._keep()
        year = self.year.value()
        target = choose_file_to_save(self, "Lưu kế hoạch Word", f"KeHoach_TuyenTruyenCDS_{year}.docx",
                                     "Tài liệu Word (*.docx)")  # fmt: skip
        if not target:
            return
        path = Path(target).with_suffix(".docx")
        day = self.date.date()
        try:
            self.saved_path = write_plan_doc(self.db, year, path, today=dt.date(day.year(), day.month(), day.day()),
                                             number=self.number.value() or None, parts=self.parts())  # fmt: skip
        except UserError as exc:
            QMessageBox.warning(self, "Chưa lưu được kế hoạch", exc.message)
            return
        QMessageBox.information(self, "Đã lưu kế hoạch", f"Đã lưu: {self.saved_path}")

    def done(self, result: int) -> None:  # noqa: D401 - Qt API
        if self._autosave.isActive():
            self._autosave.stop()
            self._keep()
        super().done(result)
