"""Hoạt động → Kế hoạch và chỉ tiêu: the plans, and for each year their targets with how far along they are."""

from __future__ import annotations

import datetime as dt
from html import escape

import sqlite_utils
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDialog, QHBoxLayout, QHeaderView, QLabel, QMessageBox, QProgressBar,
    QPushButton, QSplitter, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)  # fmt: skip

from core import plans
from core.achievement import Achievement, achievement, elapsed_percent
from core.errors import UserError
from core.text import format_date, format_number
from gui.plan_forms import PlanDialog, TargetDialog, ValueDialog, describe_measure, format_amount, plan_heading

BEHIND = QColor("#fdecea")  # the row of a target behind schedule
BAR_STYLE = ("QProgressBar {{ border: 1px solid #bbb; border-radius: 3px; text-align: center; background: #fff; }}"
             " QProgressBar::chunk {{ background: {}; }}")  # fmt: skip


class PlansDialog(QDialog):
    PLAN_COLUMNS = ("Số, ký hiệu", "Tên kế hoạch", "Năm", "Trạng thái")
    TARGET_COLUMNS = ("Chỉ tiêu", "Kế hoạch", "Thực hiện", "Tỷ lệ", "Cách tính")

    def __init__(self, db: sqlite_utils.Database, parent=None, *, today: dt.date | None = None):
        super().__init__(parent)
        self.db = db
        self.today = today or dt.date.today()
        self.changed = False
        self.plan_list: list[plans.Plan] = []
        self.rows: list[Achievement] = []
        self.setWindowTitle("Kế hoạch và chỉ tiêu")
        self._build()
        self.reload_plans()

    # --- building ----------------------------------------------------------------

    def _build(self) -> None:
        self.plans_table = self._table(self.PLAN_COLUMNS)
        header = self.plans_table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.Stretch)
        for column in (0, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeToContents)
        header.sectionResized.connect(lambda *_: self.plans_table.resizeRowsToContents())
        self.plans_table.itemSelectionChanged.connect(self.show_plan)
        self.plans_table.doubleClicked.connect(lambda _index: self.edit_plan())
        self.add_plan_button = QPushButton("Thêm kế hoạch…")
        self.edit_plan_button = QPushButton("Sửa…")
        self.delete_plan_button = QPushButton("Xóa")
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(QLabel("<b>Kế hoạch</b>"))
        left_layout.addWidget(self.plans_table, 1)
        left_layout.addLayout(self._buttons((self.add_plan_button, self.add_plan),
                                            (self.edit_plan_button, self.edit_plan),
                                            (self.delete_plan_button, self.delete_plan)))  # fmt: skip

        self.plan_title = QLabel()
        self.plan_title.setWordWrap(True)
        self.year = QComboBox()
        self.year.currentIndexChanged.connect(self.reload_targets)
        self.as_of = QLabel()
        self.as_of.setStyleSheet("color: #555;")
        self.as_of.setWordWrap(True)
        year_row = QHBoxLayout()
        year_row.addWidget(QLabel("Năm:"))
        year_row.addWidget(self.year)
        year_row.addWidget(self.as_of, 1)
        self.targets_table = self._table(self.TARGET_COLUMNS)
        header = self.targets_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((240, 125, 125, 100)):
            self.targets_table.setColumnWidth(column, width)
        header.sectionResized.connect(lambda *_: self.targets_table.resizeRowsToContents())
        self.targets_table.verticalHeader().setMinimumSectionSize(30)  # room for the progress bar
        self.targets_table.itemSelectionChanged.connect(self._update_buttons)
        self.targets_table.doubleClicked.connect(lambda _index: self.edit_target())
        self.add_target_button = QPushButton("Thêm chỉ tiêu…")
        self.edit_target_button = QPushButton("Sửa…")
        self.delete_target_button = QPushButton("Xóa")
        self.value_button = QPushButton("Nhập giá trị…")
        self.value_button.setToolTip("Nhập giá trị đạt được cho chỉ tiêu nhập tay (ví dụ tỷ lệ %).")
        self.copy_button = QPushButton("Sao chép sang năm sau")
        self.import_button = QPushButton("Nhập từ Excel…")
        self.import_button.setToolTip("Thêm chỉ tiêu từ một bảng Excel có cột “Chỉ tiêu” và “Kế hoạch” "
                                      "(thêm “Đơn vị tính”, “Hình thức”, “Năm” nếu có).")  # fmt: skip
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.plan_title)
        right_layout.addLayout(year_row)
        right_layout.addWidget(self.targets_table, 1)
        right_layout.addLayout(self._buttons((self.add_target_button, self.add_target),
                                             (self.edit_target_button, self.edit_target),
                                             (self.delete_target_button, self.delete_target),
                                             (self.value_button, self.record_value),
                                             (self.copy_button, self.copy_to_next_year),
                                             (self.import_button, self.import_from_excel)))  # fmt: skip

        splitter = QSplitter(Qt.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([390, 870])
        close = QPushButton("Đóng")
        close.clicked.connect(self.accept)
        bottom = QHBoxLayout()
        bottom.addStretch()
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)
        self.resize(1280, 620)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        for table in (self.plans_table, self.targets_table):  # wrapped text needs the real column widths
            table.resizeRowsToContents()

    @staticmethod
    def _table(columns) -> QTableWidget:
        table = QTableWidget(0, len(columns))
        table.setHorizontalHeaderLabels(columns)
        table.setWordWrap(True)
        table.setStyleSheet("QTableWidget::item { padding: 3px 4px; }")
        table.setSelectionBehavior(QAbstractItemView.SelectRows)
        table.setSelectionMode(QAbstractItemView.SingleSelection)
        table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        table.verticalHeader().hide()
        return table

    @staticmethod
    def _buttons(*pairs) -> QHBoxLayout:
        row = QHBoxLayout()
        for button, slot in pairs:
            button.clicked.connect(lambda *_args, s=slot: s())
            row.addWidget(button)
        row.addStretch()
        return row

    # --- plans ---------------------------------------------------------------------

    def current_plan(self) -> plans.Plan | None:
        row = self.plans_table.currentRow()
        selected = self.plans_table.selectionModel().selectedRows()
        return self.plan_list[row] if selected and 0 <= row < len(self.plan_list) else None

    def reload_plans(self, select: int | None = None) -> None:
        """Fill the plan list; keep (or move to) the plan ``select``."""
        current = self.current_plan()
        select = select if select is not None else (current.id if current else None)
        self.plan_list = plans.list_plans(self.db)
        table = self.plans_table
        table.blockSignals(True)
        table.setRowCount(len(self.plan_list))
        for row, plan in enumerate(self.plan_list):
            years = str(plan.year_from) if plan.year_from == plan.year_to else f"{plan.year_from}–{plan.year_to}"
            cells = (plan.number or "—", plan.title, years, plans.STATUSES[plan.status])
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(f"{plan_heading(plan)}\n{plan.title}")
                table.setItem(row, column, item)
        ids = [p.id for p in self.plan_list]
        if ids:
            table.selectRow(ids.index(select) if select in ids else 0)
        table.blockSignals(False)
        table.resizeRowsToContents()
        self.show_plan()

    def _plan_years(self, plan: plans.Plan) -> list[int]:
        """The plan's years, and any year it still has targets in (after its years were narrowed)."""
        years = set(range(plan.year_from, plan.year_to + 1))
        years |= {t.year for t in plans.targets_for_plan(self.db, plan.id)}
        return sorted(years)

    def show_plan(self) -> None:
        plan = self.current_plan()
        keep = self.year.currentData()
        self.year.blockSignals(True)
        self.year.clear()
        if plan is None:
            self.plan_title.setText("Chưa có kế hoạch nào. Bấm “Thêm kế hoạch…” để nhập kế hoạch"
                                    " của cấp trên hoặc của đơn vị." if not self.plan_list else "")  # fmt: skip
        else:
            self.plan_title.setText(f"<b>{escape(plan_heading(plan))}</b><br>{escape(plan.title)}")
            years = self._plan_years(plan)
            for year in years:
                self.year.addItem(str(year), year)
            wanted = keep if keep in years else min(max(self.today.year, years[0]), years[-1])
            self.year.setCurrentIndex(max(0, self.year.findData(wanted)))
        self.year.blockSignals(False)
        self.reload_targets()

    def add_plan(self) -> None:
        dialog = PlanDialog(self.db, self, today=self.today)
        if dialog.exec() and dialog.saved:
            self.changed = True
            self.reload_plans(select=dialog.saved.id)

    def edit_plan(self) -> None:
        plan = self.current_plan()
        if plan is None:
            return
        dialog = PlanDialog(self.db, self, plan=plan, today=self.today)
        if dialog.exec() and dialog.saved:
            self.changed = True
            self.reload_plans(select=plan.id)

    def delete_plan(self) -> None:
        plan = self.current_plan()
        if plan is None:
            return
        count = len(plans.targets_for_plan(self.db, plan.id))
        answer = QMessageBox.question(
            self, "Xóa kế hoạch?",
            f"Xóa kế hoạch “{plan_heading(plan)}: {plan.title}”?\n\n"
            f"{format_number(count)} chỉ tiêu của kế hoạch và các giá trị đã nhập cho chúng cũng bị xóa theo. "
            "Các hoạt động trong sổ vẫn giữ nguyên.",
            QMessageBox.Yes | QMessageBox.No, QMessageBox.No,
        )  # fmt: skip
        if answer != QMessageBox.Yes:
            return
        plans.delete_plan(self.db, plan.id)
        self.changed = True
        self.reload_plans()

    # --- targets -----------------------------------------------------------------

    def _period(self, year: int) -> tuple[dt.date, dt.date]:
        """1 January to today in the current year, the whole year otherwise."""
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        return start, (self.today if start <= self.today < end else end)

    def reload_targets(self) -> None:
        plan, year = self.current_plan(), self.year.currentData()
        self.rows = []
        if plan is not None and year is not None:
            start, end = self._period(year)
            self.rows = [achievement(self.db, t, start, end, today=self.today)
                         for t in plans.targets_for_plan(self.db, plan.id, year)]
            if self.today < start:
                self.as_of.setText(f"Năm {year} chưa bắt đầu.")
            else:
                expected = format_number(round(elapsed_percent(year, min(end, self.today))))
                self.as_of.setText(f"Thực hiện từ 01/01/{year} đến {format_date(end)}; theo thời gian cần đạt"
                                   f" khoảng {expected}% kế hoạch năm. Nền đỏ: chậm tiến độ.")  # fmt: skip
        else:
            self.as_of.clear()
        table = self.targets_table
        table.clearContents()
        table.setRowCount(len(self.rows))
        for row, a in enumerate(self.rows):
            self._fill_target_row(row, a)
        for column in (1, 2):  # figures on one line ("1.304.710.000 đồng")
            table.setColumnWidth(column, max(110, table.sizeHintForColumn(column)))
        table.resizeRowsToContents()
        self._update_buttons()

    def _fill_target_row(self, row: int, a: Achievement) -> None:
        target = a.target
        done = format_amount(a.year_to_date, target) if a.year_to_date is not None else "Chưa nhập"
        how = describe_measure(self.db, target)
        cells = (target.name, format_amount(a.planned, target), done, "", how)
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setToolTip(text if column != 3 else "")
            if column in (1, 2):
                item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
            if a.behind:
                item.setBackground(QBrush(BEHIND))
            self.targets_table.setItem(row, column, item)
        if a.percent is None:
            self.targets_table.item(row, 3).setText("—")
            return
        bar = QProgressBar()
        bar.setRange(0, 100)
        bar.setValue(min(100, round(a.percent)))
        bar.setFormat(f"{format_number(round(a.percent))}%")
        bar.setFixedHeight(20)
        bar.setStyleSheet(BAR_STYLE.format("#e57373" if a.behind else "#81c784"))
        expected = format_number(round(min(a.expected_percent, 100)))
        bar.setToolTip(f"Chậm tiến độ: theo thời gian cần đạt khoảng {expected}%." if a.behind
                       else "Đúng hoặc vượt tiến độ.")  # fmt: skip
        cell = QWidget()  # keeps the bar its own height, centred in a row of wrapped text
        box = QVBoxLayout(cell)
        box.setContentsMargins(4, 2, 4, 2)
        box.addWidget(bar, 0, Qt.AlignVCenter)
        cell.setAutoFillBackground(False)
        self.targets_table.setCellWidget(row, 3, cell)

    def current_target(self) -> plans.Target | None:
        selected = self.targets_table.selectionModel().selectedRows()
        row = selected[0].row() if selected else -1
        return self.rows[row].target if 0 <= row < len(self.rows) else None

    def _update_buttons(self) -> None:
        plan, target = self.current_plan(), self.current_target()
        for button in (self.edit_plan_button, self.delete_plan_button, self.add_target_button, self.import_button):
            button.setEnabled(plan is not None)
        for button in (self.edit_target_button, self.delete_target_button):
            button.setEnabled(target is not None)
        self.value_button.setEnabled(target is not None and target.source == "manual")
        active = plan is not None and plan.status == "active"
        self.copy_button.setEnabled(active and bool(self.rows))
        year = self.year.currentData()
        if not active:
            self.copy_button.setToolTip("Chỉ sao chép được chỉ tiêu của kế hoạch đang thực hiện.")
        elif year is not None:
            self.copy_button.setToolTip(f"Sao chép các chỉ tiêu năm {year} của kế hoạch này"
                                        f" sang năm {year + 1} (không chép giá trị đã nhập).")  # fmt: skip

    def _select_target(self, target_id: int) -> None:
        for row, a in enumerate(self.rows):
            if a.target.id == target_id:
                self.targets_table.selectRow(row)

    def add_target(self) -> None:
        plan = self.current_plan()
        if plan is None:
            return
        dialog = TargetDialog(self.db, plan, self, year=self.year.currentData())
        if dialog.exec() and dialog.saved:
            self._after_target_saved(dialog.saved)

    def edit_target(self) -> None:
        plan, target = self.current_plan(), self.current_target()
        if plan is None or target is None:
            return
        dialog = TargetDialog(self.db, plan, self, target=target)
        if dialog.exec() and dialog.saved:
            self._after_target_saved(dialog.saved)

    def _after_target_saved(self, target: plans.Target) -> None:
        self.changed = True
        self.year.setCurrentIndex(max(0, self.year.findData(target.year)))
        self.reload_targets()
        self._select_target(target.id)

    def delete_target(self) -> None:
        target = self.current_target()
        if target is None:
            return
        answer = QMessageBox.question(
            self, "Xóa chỉ tiêu?",
            f"Xóa chỉ tiêu “{target.name}” năm {target.year}?\n\n"
            "Các giá trị đã nhập cho chỉ tiêu này cũng bị xóa. Các hoạt động trong sổ vẫn giữ nguyên.",
            QMessageBox.Yes | QMessageBox.No, QMessageBox.No,
        )  # fmt: skip
        if answer != QMessageBox.Yes:
            return
        plans.delete_target(self.db, target.id)
        self.changed = True
        self.reload_targets()

    def record_value(self) -> None:
        target = self.current_target()
        if target is None or target.source != "manual":
            return
        dialog = ValueDialog(self.db, target, self, today=self.today)
        if dialog.exec() and dialog.recorded:
            self.changed = True
            self.reload_targets()
            self._select_target(target.id)

    def import_from_excel(self) -> None:
        from core.plans_excel import import_targets
        from gui.file_dialogs import choose_files_to_open

        plan, year = self.current_plan(), self.year.currentData()
        if plan is None:
            return
        chosen = choose_files_to_open(self, "Chọn bảng chỉ tiêu", "Bảng tính Excel (*.xlsx *.xlsm *.xls)")
        if not chosen:
            return
        try:
            created = import_targets(self.db, chosen[0], plan.id, year or plan.year_from)
        except UserError as exc:
            QMessageBox.warning(self, "Chưa nhập được chỉ tiêu", exc.message)
            return
        self.changed = True
        self.reload_targets()
        QMessageBox.information(self, "Nhập chỉ tiêu", f"Đã thêm {format_number(created)} chỉ tiêu từ tệp Excel.")

    def copy_to_next_year(self) -> None:
        plan, year = self.current_plan(), self.year.currentData()
        if plan is None or year is None:
            return
        try:
            created = plans.copy_targets(self.db, year, year + 1, plan_id=plan.id)
        except UserError as exc:
            QMessageBox.warning(self, "Chưa sao chép được", exc.message)
            return
        if created:
            self.changed = True
            self.reload_plans(select=plan.id)  # the plan may now reach the next year
            self.year.setCurrentIndex(max(0, self.year.findData(year + 1)))
            text = (f"Đã sao chép {format_number(created)} chỉ tiêu năm {year} sang năm {year + 1}."
                    " Hãy xem lại giá trị kế hoạch của năm mới.")  # fmt: skip
        else:
            text = f"Các chỉ tiêu năm {year} đều đã có ở năm {year + 1}, không có chỉ tiêu nào cần sao chép."
        QMessageBox.information(self, "Sao chép chỉ tiêu", text)
