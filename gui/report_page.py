"""The "Báo cáo" page: reports due, the list of reports, and the form of the one chosen."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
from pathlib import Path

from PySide6.QtCore import QEventLoop, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QHBoxLayout, QInputDialog, QLabel, QListWidget, QListWidgetItem, QMessageBox, QPushButton,
    QSplitter, QVBoxLayout, QWidget,
)  # fmt: skip

from core import history, periods, settings
from core.errors import UserError
from core.package.status import period_status
from core.paths import reports_dir
from core.reports import export, store
from core.text import format_date, format_timestamp
from gui.fields import show_field_errors
from gui.file_dialogs import choose_file_to_save
from gui.new_report_dialog import NewReportDialog
from gui.report_editor import ReportEditor
from gui.tasks import DbTask
from gui import submissions


class ReportPage(QWidget):
    def __init__(self, db, db_path: Path, parent=None, *, today: dt.date | None = None):
        super().__init__(parent)
        self.db = db
        self.db_path = Path(db_path)
        self.today = today or dt.date.today()
        self.editor: ReportEditor | None = None
        self.due = QListWidget()
        self.due.setMaximumHeight(150)
        self.due.setWordWrap(True)
        self.reports = QListWidget()
        self.reports.currentItemChanged.connect(self._report_chosen)
        new_button = QPushButton("Lập báo cáo mới…")
        new_button.clicked.connect(self.new_report)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(QLabel("<b>Báo cáo sắp đến hạn</b>"))
        left_layout.addWidget(self.due)
        left_layout.addWidget(QLabel("<b>Các báo cáo đã lập</b>"))
        left_layout.addWidget(self.reports, 1)
        left_layout.addWidget(new_button)
        self.submissions_heading = QLabel()
        self.submissions_heading.setWordWrap(True)
        self.submissions = QListWidget()
        self.submissions.setMaximumHeight(140)
        left_layout.addWidget(self.submissions_heading)
        left_layout.addWidget(self.submissions)

        self.status = QLabel()
        self.status.setWordWrap(True)
        self.buttons = {}
        actions = QHBoxLayout()
        for key, text, slot in (
            ("redraft", "Soạn lại từ sổ…", self.redraft), ("word", "Lưu Word vào…", self.save_word),
            ("excel", "Lưu Excel vào…", self.save_excel), ("open", "Mở", self.open_word),
            ("print", "In", self.print_word), ("pdf", "Xuất PDF…", self.save_pdf),
            ("final", "Chốt báo cáo", self.finalise), ("reopen", "Mở lại…", self.reopen),
        ):  # fmt: skip
            button = QPushButton(text)
            button.clicked.connect(slot)
            actions.addWidget(button)
            self.buttons[key] = button
        actions.addStretch()
        kind, why = export.pdf_converter()
        if kind is None:
            self.buttons["pdf"].setToolTip(why)
        self.editor_box = QVBoxLayout()
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(self.status)
        right_layout.addLayout(actions)
        right_layout.addLayout(self.editor_box, 1)
        self.placeholder = QLabel("Chọn một báo cáo bên trái, hoặc bấm “Lập báo cáo mới…”.")
        self.placeholder.setAlignment(Qt.AlignCenter)
        self.editor_box.addWidget(self.placeholder)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([300, 900])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self.reload()

    # --- lists ------------------------------------------------------------------------

    def rules(self) -> str:
        return settings.get(self.db, "report_rules", "nd09")

    def reload(self, select: int | None = None) -> None:
        self.due.clear()
        overrides = settings.get(self.db, "report_due", {}) or {}
        for period, due, days in periods.upcoming(self.today, self.rules(), overrides):
            when = "hôm nay" if days == 0 else f"còn {days} ngày"
            self.due.addItem(f"{period.short_label}: hạn {format_date(due)} ({when})")
        current = select or (self.editor.report.id if self.editor else None)
        self.reports.blockSignals(True)
        self.reports.clear()
        for report in store.list_reports(self.db):
            state = "đã chốt" if report.status == store.STATUS_FINAL else "bản nháp"
            item = QListWidgetItem(f"Số {report.number_text} ngày {format_date(report.doc_date)}\n"
                                   f"{report.period.short_label} — {state}")  # fmt: skip
            item.setData(Qt.UserRole, report.id)
            self.reports.addItem(item)
            if report.id == current:
                self.reports.setCurrentItem(item)
        self.reports.blockSignals(False)
        if current and (not self.editor or self.editor.report.id != current):
            self.show_report(current)  # updates the buttons and the submissions itself
            return
        self._update_buttons()
        self.show_submissions()

    def show_submissions(self) -> None:
        """Which units below mine sent the data of the chosen report's period (else the next one due)."""
        period = self.editor.report.period if self.editor else None
        if period is None:
            upcoming = periods.upcoming(self.today, self.rules(), settings.get(self.db, "report_due", {}) or {})
            period = upcoming[0][0] if upcoming else None
        try:
            due, statuses = period_status(self.db, period) if period else (None, [])
        except UserError:
            statuses = []
        for widget in (self.submissions_heading, self.submissions):
            widget.setVisible(bool(statuses))
        if statuses:
            self.submissions_heading.setText(f"<b>{submissions.summary(period.short_label, due, statuses)}</b>")
            submissions.fill(self.submissions, statuses)

    def _report_chosen(self, item, _previous=None) -> None:
        if item is not None:
            self.show_report(item.data(Qt.UserRole))

    def show_report(self, report_id: int) -> None:
        if self.editor is not None:
            if self.editor.dirty:
                self.editor.save_now()
            self.editor.setParent(None)
            self.editor.deleteLater()
        self.placeholder.hide()
        self.editor = ReportEditor(self.db, store.get_report(self.db, report_id))
        self.editor.saved.connect(lambda r: self._show_status(r))
        self.editor.save_failed.connect(lambda message: self.status.setText(f"<span style='color:#b00020'>{message}</span>"))
        self.editor_box.addWidget(self.editor, 1)
        self._show_status(self.editor.report)
        self._update_buttons()
        self.show_submissions()

    def _show_status(self, report: store.Report) -> None:
        if report.status == store.STATUS_FINAL:
            text = f"<b>Đã chốt</b> lúc {format_timestamp(report.finalised_at)}."
            changes = export.changes_since_final(self.db, report)
            if changes:
                text += "<br><span style='color:#b00020'><b>Số liệu đã thay đổi sau khi chốt:</b> " + " ".join(changes) + "</span>"
        else:
            text = "Bản nháp — mọi thay đổi được lưu ngay khi gõ."
        if report.reopenings:
            text += "<br>Đã mở lại: " + "; ".join(f"{reason} ({who}, {format_timestamp(at)})"
                                                  for reason, who, at in report.reopenings)  # fmt: skip
        recent = history.of_subject(self.db, report.uuid, last=3)  # read at every autosave: three lines only
        if recent:  # who changed what, newest first (every edit is kept: core/history.py)
            text += "<br><span style='color:#555'>Lịch sử: " + "; ".join(
                f"{entry.label} — {entry.officer or 'không rõ'}, {format_timestamp(entry.at)}"
                + (f" ({', '.join(list(entry.changes)[:4])}{'…' if len(entry.changes) > 4 else ''})"
                   if entry.action == "report_update" else "")
                for entry in reversed(recent)) + "</span>"  # fmt: skip
        self.status.setText(text)

    def _update_buttons(self) -> None:
        has = self.editor is not None
        final = has and self.editor.report.status == store.STATUS_FINAL
        for key, button in self.buttons.items():
            button.setEnabled(has)
        if has:
            self.buttons["redraft"].setEnabled(not final)
            self.buttons["final"].setEnabled(not final)
            self.buttons["reopen"].setEnabled(final)
            self.buttons["pdf"].setEnabled(export.pdf_converter()[0] is not None)

    # --- commands ---------------------------------------------------------------------

    def new_report(self) -> None:
        dialog = NewReportDialog(self, rules=self.rules(), today=self.today)
        if not dialog.exec() or dialog.period is None:
            return
        settings.put(self.db, "report_rules", dialog.period.rules)
        try:
            report = store.create_report(self.db, dialog.period, today=self.today)
        except UserError as exc:
            QMessageBox.warning(self, "Chưa lập được báo cáo", exc.message)
            return
        self.reload(select=report.id)

    def redraft(self) -> None:
        if not self.editor or not self.editor.save_now():
            return
        report_id = self.editor.report.id
        changes = store.redraft_changes(self.db, report_id)
        if not changes:
            QMessageBox.information(self, "Soạn lại từ sổ", "Nội dung soạn từ sổ không có gì mới so với hiện tại.")
            return
        edited = [c for c in changes if c.edited]
        keys: set[str] = set()
        if edited:
            names = "\n".join(f"- {c.heading}" for c in edited)
            box = QMessageBox(QMessageBox.Question, "Soạn lại từ sổ",
                              "Số liệu trong sổ đã khác. Các mục sau bạn đã sửa tay:\n" + names
                              + "\n\nThay các mục này bằng nội dung soạn mới? (Các mục chưa sửa sẽ được cập nhật.)",
                              QMessageBox.Yes | QMessageBox.No, self)  # fmt: skip
            box.setDetailedText("\n\n".join(f"{c.heading}\n--- Hiện tại:\n{c.current}\n--- Soạn mới:\n{c.proposed}"
                                            for c in edited))  # fmt: skip
            box.button(QMessageBox.Yes).setText("Thay cả các mục đã sửa")
            box.button(QMessageBox.No).setText("Giữ các mục đã sửa")
            if box.exec() == QMessageBox.Yes:
                keys = {c.key for c in edited}
        report = store.apply_redraft(self.db, report_id, keys)
        self.editor.load_sections(report)
        self._show_status(report)

    def _files_dir(self) -> Path:
        folder = reports_dir(self.db_path)
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def _render(self, docx: Path | None, xlsx: Path | None) -> bool:
        """Write the files off the UI thread, with progress; True when written."""
        if not self.editor.save_now():
            return False
        report_id = self.editor.report.id
        outcome = {"ok": False}
        loop = QEventLoop()

        def work(db, progress):
            if docx is None:  # Excel alone: render the Word file to a scratch name, drop it
                scratch = self._files_dir() / ".tam.docx"
                export.write_files(db, report_id, scratch, xlsx, progress=progress)
                scratch.unlink(missing_ok=True)
            else:
                export.write_files(db, report_id, docx, xlsx, progress=progress)

        task = DbTask(self, self.db_path, work, "Đang ghi báo cáo…")
        task.succeeded.connect(lambda _r: (outcome.update(ok=True), loop.quit()))
        task.failed.connect(lambda message, details: (self._error(message, details), loop.quit()))
        task.cancelled.connect(loop.quit)
        task.start()
        loop.exec()
        return outcome["ok"]

    def _error(self, message: str, details: str = "") -> None:
        box = QMessageBox(QMessageBox.Warning, "Chưa ghi được báo cáo", message, parent=self)
        if details:
            box.setDetailedText(details)
        box.exec()

    def working_docx(self) -> Path:
        return self._files_dir() / (export.default_file_stem(self.editor.report) + ".docx")

    def save_word(self) -> None:
        target = choose_file_to_save(self, "Lưu báo cáo Word", str(self.working_docx()), "Tài liệu Word (*.docx)")
        if target:
            path = Path(target).with_suffix(".docx")
            if self._render(path, None):
                self.status.setText(f"Đã lưu: {path}")

    def save_excel(self) -> None:
        suggested = str(self.working_docx().with_suffix(".xlsx"))
        target = choose_file_to_save(self, "Lưu thống kê Excel", suggested, "Bảng tính Excel (*.xlsx)")
        if target:
            path = Path(target).with_suffix(".xlsx")
            if self._render(None, path):
                self.status.setText(f"Đã lưu: {path}")

    def open_word(self) -> Path | None:
        path = self.working_docx()
        if self._render(path, None):
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
            return path
        return None

    def print_word(self) -> None:
        path = self.working_docx()
        if not self._render(path, None):
            return
        if sys.platform == "win32":
            try:
                os.startfile(str(path), "print")  # noqa: S606 (the officer asked to print)
            except OSError as exc:
                self._error(f"Không gửi được tới máy in: {exc.strerror or exc}. Hãy mở tệp rồi in từ Word.")
            return
        printer = shutil.which("lp")
        if printer and export.pdf_converter()[0]:
            pdf = export.to_pdf(path)
            os.spawnlp(os.P_NOWAIT, printer, printer, str(pdf))
            return
        QMessageBox.information(self, "In", f"Máy này không in trực tiếp được; tệp đã được mở để in:\n{path}")
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def save_pdf(self) -> None:
        suggested = str(self.working_docx().with_suffix(".pdf"))
        target = choose_file_to_save(self, "Lưu báo cáo PDF", suggested, "Tệp PDF (*.pdf)")
        if not target:
            return
        docx = self.working_docx()
        if not self._render(docx, None):
            return
        try:
            pdf = export.to_pdf(docx, Path(target).with_suffix(".pdf"))
        except UserError as exc:
            self._error(exc.message)
            return
        self.status.setText(f"Đã lưu: {pdf}")

    def finalise(self) -> None:
        if not self.editor or not self.editor.save_now():
            return
        answer = QMessageBox.question(
            self, "Chốt báo cáo",
            "Chốt báo cáo sẽ giữ nguyên số liệu và nội dung như đã gửi; muốn sửa sau này phải “Mở lại” và ghi lý do.\n"
            "Chốt báo cáo này?", QMessageBox.Yes | QMessageBox.No, QMessageBox.No,
        )  # fmt: skip
        if answer != QMessageBox.Yes:
            return
        try:
            store.check_finalisable(self.editor.report)
        except UserError as exc:
            if hasattr(exc, "fields"):
                show_field_errors(self.editor.wrapped, exc.fields)
            self._error(exc.message)
            return
        report_id, folder = self.editor.report.id, self._files_dir()
        outcome: dict = {}
        loop = QEventLoop()
        task = DbTask(self, self.db_path, lambda db, progress: export.finalise(db, report_id, folder, progress=progress),
                      "Đang chốt báo cáo…")  # off the UI thread: a year of a province's log takes seconds
        task.succeeded.connect(lambda result: (outcome.update(report=result), loop.quit()))
        task.failed.connect(lambda message, details: (outcome.update(message=message, details=details), loop.quit()))
        task.cancelled.connect(loop.quit)
        task.start()
        loop.exec()
        if "message" in outcome:
            self._error(outcome["message"], outcome["details"])
            return
        if "report" not in outcome:
            return  # cancelled: nothing was frozen
        report = outcome["report"]
        self.editor.report = report
        self.editor.set_read_only(True)
        self.reload(select=report.id)
        self._show_status(report)

    def reopen(self) -> None:
        reason, ok = QInputDialog.getText(self, "Mở lại báo cáo đã chốt", "Lý do mở lại (bắt buộc):")
        if not ok:
            return
        try:
            report = store.reopen(self.db, self.editor.report.id, reason)
        except UserError as exc:
            self._error(exc.message)
            return
        self.editor.report = report
        self.editor.set_read_only(False)
        self.reload(select=report.id)
        self._show_status(report)
