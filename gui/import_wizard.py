"""Tệp → Nhập từ Excel: an officer's own sheet into the log, looked at before anything is written.

Three pages: the file (and sheet), what each column holds, and a review of what
importing would do (rows ready, rows with problems, labels to choose). Reading the
file and writing the activities both run off the UI thread with progress and
"Hủy"; nothing reaches the log until "Nhập" on the last page, and then all the
ready activities go in one transaction or none do.

Also here, for the same menu: saving the empty import template and exporting
the filtered log to an .xlsx workbook.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import sqlite_utils
from PySide6.QtCore import QSettings, QStandardPaths, Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
    QMessageBox, QPushButton, QSizePolicy, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget, QWizard,
    QWizardPage,
)  # fmt: skip

from core import settings, taxonomy, units
from core.activities.filters import ActivityFilter
from core.errors import UserError
from core.importers import legacy_text, reader, service
from core.importers.columns import BY_KEY, COLUMNS
from core.importers.labels import matchers
from core.text import fold, format_number
from gui.file_dialogs import choose_file_to_save, choose_files_to_open
from gui.tasks import DbTask, TaskOutcome, checkpoint_in_background, run_and_wait

EXCEL_FILTER = "Bảng tính Excel (*.xlsx *.xlsm *.xls)"
XLSX_FILTER = "Bảng tính Excel (*.xlsx)"
MAX_PROBLEM_ROWS = 2000
SKIP = ""  # the field choice "— Bỏ qua —"
_LEGACY_NAMES = {legacy_text.TCVN3_NAME: "TCVN3", legacy_text.VNI_NAME: "VNI"}
_FOLDER_KEY = "excel/folder"  # the last folder an Excel file was saved to (per computer)


# --- small helpers --------------------------------------------------------------------


def column_letter(index: int) -> str:
    """0 -> "A", 25 -> "Z", 26 -> "AA": the column as Excel names it."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _last_folder() -> str:
    folder = QSettings().value(_FOLDER_KEY)
    if folder and Path(str(folder)).is_dir():
        return str(folder)
    return QStandardPaths.writableLocation(QStandardPaths.DocumentsLocation) or str(Path.home())


def _remember_folder(path: Path) -> None:
    QSettings().setValue(_FOLDER_KEY, str(path.parent))


def _ask_xlsx_target(parent: QWidget, title: str, name: str) -> Path | None:
    target = choose_file_to_save(parent, title, str(Path(_last_folder()) / name), XLSX_FILTER)
    if not target:
        return None
    path = Path(target)
    if path.suffix.lower() != ".xlsx":
        path = path.with_name(path.name + ".xlsx")
    return path


def _show_failure(parent: QWidget, title: str, outcome: TaskOutcome) -> None:
    box = QMessageBox(QMessageBox.Warning, title, outcome.message, QMessageBox.Ok, parent)
    if outcome.details:
        box.setDetailedText(outcome.details)
    box.exec()


def save_import_template(parent: QWidget, db: sqlite_utils.Database) -> Path | None:
    """Ask where, then write the empty import workbook (headers, lists to choose from, an example)."""
    from core.importers.template import write_import_template

    path = _ask_xlsx_target(parent, "Lưu tệp mẫu nhập Excel", "MauNhapHoatDong.xlsx")
    if path is None:
        return None
    try:
        written = write_import_template(db, path)
    except UserError as exc:
        QMessageBox.warning(parent, "Chưa lưu được tệp mẫu", exc.message)
        return None
    _remember_folder(Path(written))
    QMessageBox.information(
        parent, "Đã lưu tệp mẫu",
        f"Đã lưu tệp mẫu nhập Excel:\n{written}\n\n"
        "Điền mỗi hoạt động vào một dòng, lưu lại, rồi chọn Tệp → Nhập từ Excel… để nhập vào sổ.",
    )  # fmt: skip
    return Path(written)


def export_log_to_excel(parent: QWidget, db_path: Path, flt: ActivityFilter) -> tuple[Path, int] | None:
    """Ask for the file name, then write the activities matching ``flt`` in the background."""
    from core.importers.export import export_log_xlsx

    path = _ask_xlsx_target(parent, "Xuất sổ hoạt động ra Excel", "SoHoatDong.xlsx")
    if path is None:
        return None
    outcome = run_and_wait(parent, db_path, lambda db, progress: export_log_xlsx(db, flt, path, progress=progress),
                           "Đang xuất sổ hoạt động ra Excel…")  # fmt: skip
    if outcome.cancelled:
        QMessageBox.information(parent, "Đã hủy", "Đã hủy xuất; không có tệp nào được ghi.")
        return None
    if not outcome.ok:
        _show_failure(parent, "Chưa xuất được sổ hoạt động", outcome)
        return None
    written, count = outcome.result
    _remember_folder(Path(written))
    QMessageBox.information(parent, "Đã xuất ra Excel",
                            f"Đã xuất {format_number(count)} hoạt động ra tệp:\n{written}")  # fmt: skip
    return Path(written), count


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectRows)
    table.setWordWrap(False)
    return table


def _item(text: str, tooltip: str | None = None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setToolTip(tooltip if tooltip is not None else text)
    return item


def _wrapping_label(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Minimum)
    return label


# --- the wizard -------------------------------------------------------------------------


class ImportWizard(QWizard):
    """Nhập hoạt động từ Excel; ``imported`` holds the ImportResult once the wizard is accepted."""

    def __init__(self, db: sqlite_utils.Database, db_path: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.db_path = Path(db_path)
        self.preview: service.ImportPreview | None = None
        self.options = service.ImportOptions()
        self.choices: dict[tuple[str, str], str] = {}  # (field, folded label) -> code, kept across analyses
        self.imported: service.ImportResult | None = None
        self.busy = False
        self._task: DbTask | None = None
        self.setWindowTitle("Nhập hoạt động từ Excel")
        self.setOption(QWizard.NoBackButtonOnStartPage, True)
        self.setButtonText(QWizard.BackButton, "< Quay lại")
        self.setButtonText(QWizard.NextButton, "Tiếp theo >")
        self.setButtonText(QWizard.FinishButton, "Nhập")
        self.setButtonText(QWizard.CancelButton, "Hủy")
        self.file_page = FilePage(self)
        self.columns_page = ColumnsPage(self)
        self.review_page = ReviewPage(self)
        for page in (self.file_page, self.columns_page, self.review_page):
            self.addPage(page)
        self.resize(980, 700)

    # --- background work ------------------------------------------------------------

    def _run(self, work, title: str) -> TaskOutcome:
        self.busy = True
        try:
            return run_and_wait(self, self.db_path, work, title, on_start=lambda task: setattr(self, "_task", task))
        finally:
            self.busy = False
            self._task = None

    def analyse(self, options: service.ImportOptions) -> bool:
        """Read the file with ``options`` (in the background); False when it could not be read."""
        path = self.file_page.path()
        outcome = self._run(lambda db, progress: service.analyse(db, path, options, progress),
                            "Đang đọc tệp Excel…")  # fmt: skip
        if outcome.cancelled:
            return False
        if not outcome.ok:
            if outcome.details:
                _show_failure(self, "Chưa đọc được tệp", outcome)
            else:
                QMessageBox.warning(self, "Chưa đọc được tệp", outcome.message)
            return False
        self.preview = outcome.result
        self.options = options
        return True

    def commit(self) -> bool:
        """Write the ready activities (in the background); True when they are in the log."""
        preview = self.preview
        outcome = self._run(lambda db, progress: service.commit(db, preview, progress),
                            "Đang nhập hoạt động vào sổ…")  # fmt: skip
        if outcome.cancelled:
            QMessageBox.information(self, "Đã hủy nhập",
                                    "Đã hủy nhập; chưa có hoạt động nào được ghi vào sổ.")  # fmt: skip
            return False
        if not outcome.ok:
            _show_failure(self, "Chưa nhập được", outcome)
            return False
        self.imported = outcome.result
        checkpoint_in_background(self.db_path)  # the imported pages wait in the write-ahead log
        lines = [f"Đã nhập {format_number(self.imported.imported)} hoạt động."]
        if self.imported.duplicates:
            lines.append(f"{format_number(self.imported.duplicates)} hoạt động đã có trong sổ nên không nhập lại.")
        QMessageBox.information(self, "Đã nhập xong", "\n".join(lines))
        return True

    def reject(self) -> None:
        if self.busy:  # closing while reading or writing: cancel the work, the wizard stays
            if self._task is not None:
                self._task.progress.cancel()
            return
        super().reject()


class FilePage(QWizardPage):
    def __init__(self, wizard: ImportWizard):
        super().__init__()
        self.wiz = wizard
        self._sheets_of: str | None = None  # the path the sheet list was read from
        self.setTitle("Chọn tệp")
        self.setSubTitle("Chọn tệp Excel ghi các hoạt động đã làm (sổ theo dõi, bảng tổng hợp…).")
        explanation = _wrapping_label(
            "Phần mềm tự tìm dòng tiêu đề cột (bỏ qua các dòng tên bảng ở trên), chuyển chữ gõ bằng bảng mã "
            "TCVN3 (.VnTime) hoặc VNI sang Unicode và bỏ qua các dòng “Tổng cộng”. Ở các bước sau bạn kiểm tra "
            "từng cột và xem trước kết quả; chưa có gì được ghi vào sổ cho tới khi bấm “Nhập” ở bước cuối. "
            "Nhập lại cùng một tệp không tạo hoạt động trùng."
        )
        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText("Đường dẫn tới tệp .xlsx, .xlsm hoặc .xls")
        self.path_edit.textChanged.connect(lambda _text: self.completeChanged.emit())
        self.path_edit.editingFinished.connect(self.load_sheets)
        browse = QPushButton("Chọn tệp…")
        browse.clicked.connect(self.browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(browse)
        self.sheet = QComboBox()
        self.sheet.setMinimumWidth(260)
        self.sheet.setToolTip("Trang tính (sheet) chứa danh sách hoạt động")
        self.sheet_note = _wrapping_label()
        self.sheet_note.setStyleSheet("color: #a61b1b")
        form = QFormLayout()
        form.addRow("Tệp Excel:", path_row)
        form.addRow("Trang tính:", self.sheet)
        form.addRow("", self.sheet_note)

        template_box = QGroupBox("Chưa có sổ theo dõi bằng Excel?")
        template_layout = QVBoxLayout(template_box)
        template_layout.addWidget(_wrapping_label(
            "Tải tệp mẫu, điền mỗi hoạt động vào một dòng (ngày, tên hoạt động, hình thức, số lượng, kinh phí…), "
            "lưu lại rồi chọn tệp đó ở đây. Tệp do phần mềm xuất ra (Tệp → Xuất sổ hoạt động ra Excel…) "
            "cũng nhập lại được."
        ))  # fmt: skip
        self.template_button = QPushButton("Tải tệp mẫu nhập Excel…")
        self.template_button.clicked.connect(lambda: save_import_template(self, self.wiz.db))
        button_row = QHBoxLayout()
        button_row.addWidget(self.template_button)
        button_row.addStretch(1)
        template_layout.addLayout(button_row)

        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addSpacing(8)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(template_box)

    def path(self) -> Path:
        return Path(self.path_edit.text().strip().strip('"'))

    def isComplete(self) -> bool:  # noqa: N802 (Qt API)
        return bool(self.path_edit.text().strip())

    def browse(self) -> None:
        chosen = choose_files_to_open(self, "Chọn tệp Excel cần nhập", EXCEL_FILTER)
        if chosen:
            self.path_edit.setText(chosen[0])
            self.load_sheets()

    def load_sheets(self) -> bool:
        """Fill the sheet list from the file; False (and the reason shown) when it cannot be read."""
        text = self.path_edit.text().strip()
        if not text or text == self._sheets_of:
            return bool(text)
        self.sheet.clear()
        self.sheet_note.clear()
        self._sheets_of = None
        try:
            names = reader.sheet_names(self.path())
        except UserError as exc:
            self.sheet_note.setText(exc.message)
            return False
        self.sheet.addItems(names)
        self._sheets_of = text
        return True

    def validatePage(self) -> bool:  # noqa: N802 (Qt API)
        if self.wiz.busy:
            return False
        if not self.load_sheets():
            QMessageBox.warning(self, "Chưa đọc được tệp", self.sheet_note.text() or "Hãy chọn tệp Excel cần nhập.")
            return False
        previous = self.wiz.preview
        if previous is None or previous.path != self.path() or previous.sheet != self.sheet.currentText():
            self.wiz.choices = {}  # another file: the labels chosen for the last one do not apply
        options = service.ImportOptions(sheet=self.sheet.currentText() or None, choices=dict(self.wiz.choices))
        return self.wiz.analyse(options)


class ColumnsPage(QWizardPage):
    def __init__(self, wizard: ImportWizard):
        super().__init__()
        self.wiz = wizard
        self.combos: dict[int, QComboBox] = {}  # sheet column -> its field choice
        self.setTitle("Cột")
        self.setSubTitle(
            "Kiểm tra mỗi cột của bảng được nhập vào mục nào. Cột không cần nhập thì chọn “— Bỏ qua —”. "
            "Bắt buộc có cột “Ngày” và cột “Tên hoạt động”."
        )
        self.where = _wrapping_label()
        self.legacy = _wrapping_label()
        self.legacy.setStyleSheet("color: #1d5fa8")
        self.table = _table(["Cột trong tệp", "Giá trị đầu tiên", "Nhập vào mục"])
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.Interactive)
        header.setSectionResizeMode(1, QHeaderView.Stretch)
        header.setSectionResizeMode(2, QHeaderView.Interactive)
        self.table.setColumnWidth(0, 250)
        self.table.setColumnWidth(2, 250)
        self.table.verticalHeader().setDefaultSectionSize(30)
        self.table.setSelectionMode(QAbstractItemView.NoSelection)
        self.table.setFocusPolicy(Qt.NoFocus)
        self.unit = QComboBox()
        for unit in units.all_units(wizard.db):
            self.unit.addItem(unit.name, unit.id)
        self.funding = QComboBox()
        self.funding.addItem("— Không chọn —", None)
        for code, label in taxonomy.labels(wizard.db, "funding").items():
            self.funding.addItem(label, code)
        for combo in (self.unit, self.funding):
            combo.setMinimumWidth(380)
            combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        defaults = QFormLayout()
        defaults.setFieldGrowthPolicy(QFormLayout.FieldsStayAtSizeHint)
        defaults.addRow("Đơn vị cho các dòng không ghi đơn vị:", self.unit)
        defaults.addRow("Nguồn kinh phí cho các dòng có kinh phí mà không ghi nguồn:", self.funding)
        layout = QVBoxLayout(self)
        layout.addWidget(self.where)
        layout.addWidget(self.legacy)
        layout.addWidget(self.table, 1)
        layout.addLayout(defaults)

    def initializePage(self) -> None:  # noqa: N802 (Qt API)
        preview = self.wiz.preview
        columns = preview.columns
        self.where.setText(
            f"Tệp “{preview.path.name}”, trang tính “{preview.sheet}”: dòng tiêu đề cột là dòng "
            f"{columns.header_row + 1}; có {format_number(len(columns.headers))} cột."
        )
        encoding = _LEGACY_NAMES.get(preview.encoding or "")
        self.legacy.setText(f"Chữ trong tệp được chuyển từ bảng mã {encoding} sang Unicode." if encoding else "")
        self.legacy.setVisible(bool(encoding))
        self.table.setRowCount(0)
        self.combos = {}
        for column, header in enumerate(columns.headers):
            samples = preview.samples.get(column, [])  # as Excel shows them, already in Unicode
            if not header and not samples:
                continue  # an empty column at the edge of the sheet
            row = self.table.rowCount()
            self.table.insertRow(row)
            self.table.setItem(row, 0, _item(f"{column_letter(column)}: {header or '(không có tiêu đề)'}"))
            self.table.setItem(row, 1, _item("; ".join(samples), "\n".join(samples)))
            combo = QComboBox()
            combo.addItem("— Bỏ qua —", SKIP)
            for known in COLUMNS:
                if known.imported:
                    combo.addItem(known.header, known.key)
            combo.setCurrentIndex(max(0, combo.findData(columns.fields.get(column, SKIP))))
            self.table.setCellWidget(row, 2, combo)
            self.combos[column] = combo
        unit = self.wiz.options.defaults.get("unit")
        if not unit:
            profile = settings.load_profile(self.wiz.db)
            unit = profile.unit_id if profile else None
        self.unit.setCurrentIndex(max(0, self.unit.findData(unit)))
        self.funding.setCurrentIndex(max(0, self.funding.findData(self.wiz.options.defaults.get("funding"))))

    def fields(self) -> dict[int, str]:
        return {column: combo.currentData() for column, combo in self.combos.items() if combo.currentData()}

    def defaults(self) -> dict[str, str]:
        chosen = {"unit": self.unit.currentData(), "funding": self.funding.currentData()}
        return {key: code for key, code in chosen.items() if code}

    def validatePage(self) -> bool:  # noqa: N802 (Qt API)
        if self.wiz.busy:
            return False
        fields = self.fields()
        headers = self.wiz.preview.columns.headers
        by_field: dict[str, list[int]] = {}
        for column, key in fields.items():
            by_field.setdefault(key, []).append(column)
        twice = [(key, cols) for key, cols in by_field.items() if len(cols) > 1]
        if twice:
            lines = [f"- “{BY_KEY[key].header}”: các cột "
                     + ", ".join(f"{column_letter(c)} ({headers[c] or 'không có tiêu đề'})" for c in cols)
                     for key, cols in twice]  # fmt: skip
            QMessageBox.warning(self, "Một mục được chọn cho nhiều cột",
                                "Mỗi mục chỉ nhập từ một cột. Hãy chọn lại:\n" + "\n".join(lines))  # fmt: skip
            return False
        options = service.ImportOptions(sheet=self.wiz.preview.sheet, fields=fields, defaults=self.defaults(),
                                        choices=dict(self.wiz.choices))  # fmt: skip
        return self.wiz.analyse(options)


class ReviewPage(QWizardPage):
    def __init__(self, wizard: ImportWizard):
        super().__init__()
        self.wiz = wizard
        self.choice_combos: list[tuple[str, str, QComboBox]] = []  # (field, label as typed, combo)
        self.setTitle("Kiểm tra")
        self.setSubTitle("Xem trước kết quả. Bấm “Nhập” để ghi các hoạt động sẵn sàng vào sổ.")
        self.setFinalPage(True)
        self.summary = _wrapping_label()
        self.summary.setTextInteractionFlags(Qt.TextSelectableByMouse)

        self.unresolved_box = QGroupBox("Giá trị chưa rõ")
        self.unresolved_note = _wrapping_label(
            "Các giá trị sau không khớp với danh mục. Chọn mục tương ứng cho từng giá trị rồi bấm "
            "“Áp dụng lựa chọn”: các dòng có giá trị đó sẽ được nhập."
        )
        self.unresolved = _table(["Thông tin", "Giá trị trong tệp", "Nhập là"])
        header = self.unresolved.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.Stretch)
        header.setSectionResizeMode(2, QHeaderView.Interactive)
        self.unresolved.setColumnWidth(2, 330)
        self.unresolved.verticalHeader().setDefaultSectionSize(30)
        self.unresolved.setSelectionMode(QAbstractItemView.NoSelection)
        self.unresolved.setFocusPolicy(Qt.NoFocus)
        self.apply_button = QPushButton("Áp dụng lựa chọn")
        self.apply_button.clicked.connect(self.apply_choices)
        apply_row = QHBoxLayout()
        apply_row.addStretch(1)
        apply_row.addWidget(self.apply_button)
        box_layout = QVBoxLayout(self.unresolved_box)
        box_layout.addWidget(self.unresolved_note)
        box_layout.addWidget(self.unresolved, 1)
        box_layout.addLayout(apply_row)

        self.problems_box = QGroupBox("Các dòng có lỗi (sẽ bỏ qua)")
        self.problems = _table(["Dòng", "Cột", "Lý do"])
        header = self.problems.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.Interactive)
        header.setSectionResizeMode(2, QHeaderView.Stretch)
        self.problems.setColumnWidth(1, 180)
        self.problems.verticalHeader().setDefaultSectionSize(24)
        self.problems_more = _wrapping_label()
        problems_layout = QVBoxLayout(self.problems_box)
        problems_layout.addWidget(_wrapping_label(
            "Sửa các dòng này trong tệp Excel rồi nhập lại tệp: các hoạt động đã nhập sẽ không bị nhập trùng."
        ))  # fmt: skip
        problems_layout.addWidget(self.problems, 1)
        problems_layout.addWidget(self.problems_more)

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.unresolved_box)
        layout.addWidget(self.problems_box, 1)
        layout.addStretch(0)  # takes the room only when neither table is shown

    def initializePage(self) -> None:  # noqa: N802 (Qt API)
        self.refresh()

    def isComplete(self) -> bool:  # noqa: N802 (Qt API)
        preview = self.wiz.preview
        return bool(preview and preview.ready)

    def summary_text(self) -> str:
        preview = self.wiz.preview
        parts = [f"Đọc {format_number(preview.read)} dòng",
                 f"sẵn sàng nhập {format_number(len(preview.ready))} hoạt động"]  # fmt: skip
        if preview.rows_with_problems:
            parts.append(f"{format_number(preview.rows_with_problems)} dòng có lỗi sẽ bỏ qua")
        if preview.duplicates:
            parts.append(f"{format_number(preview.duplicates)} hoạt động đã có trong sổ (không nhập lại)")
        if preview.skipped:
            parts.append(f"{format_number(preview.skipped)} dòng tổng cộng bỏ qua")
        lines = [f"Tệp “{preview.path.name}”, trang tính “{preview.sheet}”.", "; ".join(parts) + "."]
        if preview.defaulted_quantity:
            lines.append(f"{format_number(preview.defaulted_quantity)} dòng không ghi số lượng được tính là 1.")
        if preview.unresolved:
            lines.append("Có giá trị chưa rõ: chọn mục tương ứng ở bảng dưới để nhập cả các dòng đó.")
        elif not preview.problems:
            lines.append("Không có dòng nào có lỗi.")
        if not preview.ready:
            lines.append("Chưa có hoạt động nào để nhập.")
        return "\n".join(lines)

    def refresh(self) -> None:
        preview = self.wiz.preview
        self.summary.setText(self.summary_text())
        self._fill_unresolved(preview)
        self._fill_problems(preview)
        self.completeChanged.emit()

    def _fill_unresolved(self, preview: service.ImportPreview) -> None:
        self.unresolved.setRowCount(0)
        self.choice_combos = []
        labels = {key: matcher.labels for key, matcher in matchers(self.wiz.db).items()}
        for key, found in preview.unresolved.items():
            known = labels.get(key, {})
            for label, candidates in found.items():
                row = self.unresolved.rowCount()
                self.unresolved.insertRow(row)
                self.unresolved.setItem(row, 0, _item(BY_KEY[key].header))
                self.unresolved.setItem(row, 1, _item(label))
                combo = QComboBox()
                combo.addItem("— Chưa chọn —", None)
                offered = [c for c in candidates if c in known]
                for code in offered:
                    combo.addItem(known[code], code)
                if offered:
                    combo.insertSeparator(combo.count())
                for code, text in known.items():
                    if code not in offered:
                        combo.addItem(text, code)
                combo.setToolTip("Có thể là: " + "; ".join(known[c] for c in offered) if offered else "")
                self.unresolved.setCellWidget(row, 2, combo)
                self.choice_combos.append((key, label, combo))
        # room for up to five values without scrolling; the list of problems takes the rest
        visible_rows = min(max(len(self.choice_combos), 1), 5)
        self.unresolved.setFixedHeight(self.unresolved.horizontalHeader().sizeHint().height()
                                       + visible_rows * self.unresolved.verticalHeader().defaultSectionSize()
                                       + 2 * self.unresolved.frameWidth() + 2)  # fmt: skip
        self.unresolved_box.setVisible(bool(self.choice_combos))
        self.apply_button.setEnabled(bool(self.choice_combos))

    def _fill_problems(self, preview: service.ImportPreview) -> None:
        problems = preview.problems
        shown = problems[:MAX_PROBLEM_ROWS]
        self.problems.setUpdatesEnabled(False)
        self.problems.setRowCount(len(shown))
        for row, problem in enumerate(shown):
            number = QTableWidgetItem(str(problem.row))
            number.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
            self.problems.setItem(row, 0, number)
            self.problems.setItem(row, 1, _item(problem.column))
            self.problems.setItem(row, 2, _item(problem.message))
        self.problems.setUpdatesEnabled(True)
        hidden = len(problems) - len(shown)
        self.problems_more.setText(
            f"Chỉ hiện {format_number(len(shown))} lỗi đầu tiên; còn {format_number(hidden)} lỗi nữa không hiện ở đây."
            if hidden else ""
        )  # fmt: skip
        self.problems_more.setVisible(bool(hidden))
        self.problems_box.setVisible(bool(problems))

    def chosen(self) -> dict[tuple[str, str], str]:
        return {(key, fold(label)): combo.currentData() for key, label, combo in self.choice_combos
                if combo.currentData()}  # fmt: skip

    def apply_choices(self) -> None:
        if self.wiz.busy:
            return
        chosen = self.chosen()
        if not chosen:
            QMessageBox.information(self, "Chưa chọn", "Hãy chọn mục tương ứng cho ít nhất một giá trị.")
            return
        self.wiz.choices.update(chosen)
        options = replace(self.wiz.options, choices=dict(self.wiz.choices))
        self.apply_button.setEnabled(False)
        try:
            analysed = self.wiz.analyse(options)
        finally:
            self.apply_button.setEnabled(bool(self.choice_combos))
        if analysed:
            self.refresh()

    def validatePage(self) -> bool:  # noqa: N802 (Qt API)
        if self.wiz.busy or not self.wiz.preview or not self.wiz.preview.ready:
            return False
        return self.wiz.commit()
