"""The main window: the activity log with search, filters and a totals bar."""

from __future__ import annotations

from pathlib import Path

import sqlite_utils
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView, QHeaderView, QLabel, QMainWindow, QMenu, QMessageBox, QTableView,
    QTabWidget, QToolBar, QVBoxLayout, QWidget,
)  # fmt: skip

from core import APP_NAME, settings, units
from core.activities import repository, service
from core.activities.filters import ActivityFilter
from core.activities.repository import Totals
from core.db import connect
from core.errors import UserError
from core.text import format_number
from core import undo
from gui import instance_lock
from gui.activity_dialog import ActivityDialog
from gui.activity_table_model import COLUMNS, ID_ROLE, PAGE_SIZE, ActivityTableModel
from gui.data_file_watch import DataFileWatch
from gui.demo_banner import DemoBanner
from gui.filter_bar import FilterBar
from gui.main_window_files import FileActions
from gui.home_page import HomePage
from gui.report_page import ReportPage
from gui.tasks import run_in_background
from gui.trash_dialog import TrashDialog


class MainWindow(FileActions, QMainWindow):
    def __init__(self, db: sqlite_utils.Database, db_path: Path):
        super().__init__()
        self.db = db
        self.db_path = Path(db_path)
        self.undo_stack = undo.UndoStack()
        self._generation = 0
        self._select_after_load: int | None = None
        self.loading = False
        self.setWindowTitle(f"{APP_NAME} — {self._unit_name()}")
        self.resize(1280, 760)

        self.filters = FilterBar(db)
        self.model = ActivityTableModel(db, self)
        self.model.reload_on_sort = False  # apply_filter loads off the UI thread
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.horizontalHeader().setSortIndicator(0, Qt.DescendingOrder)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.Interactive)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.Fixed)
        for column, width in enumerate((100, 140, 220, 420, 75, 100, 125, 165, 120, 130, 220, 150, 90)):
            self.table.setColumnWidth(column, width)
        self.table.doubleClicked.connect(lambda _index: self.edit_activity())
        self.table.setContextMenuPolicy(Qt.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.totals = QLabel()
        self.totals.setTextInteractionFlags(Qt.TextSelectableByMouse)

        log_page = QWidget()
        layout = QVBoxLayout(log_page)
        layout.addWidget(self.filters)
        layout.addWidget(self.table, 1)
        self.log_page = log_page
        self.reports = ReportPage(db, self.db_path)
        self.home = HomePage(db, self.db_path)
        self.home.open_log.connect(self.show_log)
        self.home.open_report.connect(self.show_report)
        self.pages = QTabWidget()
        self.pages.addTab(self.home, "Tổng quan")  # the first page the window shows
        self.pages.addTab(log_page, "Sổ hoạt động")
        self.pages.addTab(self.reports, "Báo cáo")
        self.demo_banner = DemoBanner(self)  # shown while demo data is in the database
        central = QWidget()
        central_layout = QVBoxLayout(central)
        central_layout.setContentsMargins(0, 0, 0, 0)
        central_layout.addWidget(self.demo_banner)
        central_layout.addWidget(self.pages, 1)
        self.setCentralWidget(central)
        self.statusBar().addPermanentWidget(self.totals, 1)
        self._build_actions()
        self.filters.changed.connect(self.apply_filter)
        self.model.modelReset.connect(self._update_actions)
        self.table.selectionModel().selectionChanged.connect(self._update_actions)
        self.table.horizontalHeader().sortIndicatorChanged.connect(lambda *_: self.apply_filter())
        self._restore_layout()
        self.apply_filter(self.filters.current_filter())
        self.data_watch = DataFileWatch(self)  # the data folder deleted or unplugged under the app

    # --- window layout (per computer, not in the database) -------------------------

    def _restore_layout(self) -> None:
        ui = QSettings()
        geometry = ui.value("main_window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        columns = ui.value("main_window/columns")
        if columns is not None:
            self.table.horizontalHeader().restoreState(columns)
            self.table.horizontalHeader().setSortIndicator(0, Qt.DescendingOrder)

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        if self.reports.editor is not None and self.reports.editor.dirty:
            self.reports.editor.save_now()  # the last keystrokes of a report are not lost
        ui = QSettings()
        ui.setValue("main_window/geometry", self.saveGeometry())
        ui.setValue("main_window/columns", self.table.horizontalHeader().saveState())
        instance_lock.release(self.db_path)  # another window may open this database now
        super().closeEvent(event)

    # --- actions -----------------------------------------------------------------

    def _action(self, text: str, slot, shortcut=None, menu: QMenu | None = None) -> QAction:
        action = QAction(text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda *_: slot())
        if menu is not None:
            menu.addAction(action)
        return action

    def _build_actions(self) -> None:
        menu = self.menuBar()
        file_menu = menu.addMenu("&Tệp")
        self.import_action = self._action("Nhập từ Excel…", self.import_excel, menu=file_menu)
        self.export_action = self._action("Xuất sổ hoạt động ra Excel…", self.export_excel, menu=file_menu)
        self._action("Tải tệp mẫu nhập Excel…", self.save_import_template, menu=file_menu)
        file_menu.addSeparator()
        self._action("Xuất ra USB…", self.export_package, menu=file_menu)
        self._action("Nhận dữ liệu…", self.receive_packages, menu=file_menu)
        file_menu.addSeparator()
        self._action("Sao lưu ra USB…", self.backup_to_usb, menu=file_menu)
        self._action("Khôi phục từ bản sao lưu…", self.restore_backup, menu=file_menu)
        file_menu.addSeparator()
        self.demo_action = self._action("Tạo dữ liệu mẫu để dùng thử…", self.create_demo, menu=file_menu)
        file_menu.addSeparator()
        self._action("Thoát", self.close, QKeySequence.Quit, file_menu)
        edit_menu = menu.addMenu("&Sửa")
        self.undo_action = self._action("Hoàn tác", self.undo, None, edit_menu)
        self.undo_action.setShortcuts([QKeySequence("Ctrl+Z")])
        self.redo_action = self._action("Làm lại", self.redo, None, edit_menu)
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        self._update_undo()
        log_menu = menu.addMenu("&Hoạt động")
        self.new_action = self._action("Thêm hoạt động…", self.new_activity, "Ctrl+N", log_menu)
        self.edit_action = self._action("Sửa…", self.edit_activity, None, log_menu)
        self.edit_action.setShortcuts([QKeySequence(Qt.Key_Return), QKeySequence(Qt.Key_Enter)])
        self.edit_action.setShortcutContext(Qt.WidgetWithChildrenShortcut)
        self.table.addAction(self.edit_action)
        self.duplicate_action = self._action("Nhân bản…", self.duplicate_activity, "Ctrl+D", log_menu)
        self.delete_action = self._action("Xóa (chuyển vào thùng rác)", self.delete_selected, QKeySequence.Delete, log_menu)
        self.delete_action.setShortcutContext(Qt.WidgetWithChildrenShortcut)
        self.table.addAction(self.delete_action)
        log_menu.addSeparator()
        self._action("Tìm kiếm", self.filters.focus_search, "Ctrl+F", log_menu)
        self._action("Thùng rác…", self.open_trash, None, log_menu)
        self._action("Kế hoạch và chỉ tiêu…", self.open_plans, None, log_menu)
        self._action("Lập kế hoạch tuyên truyền (Word)…", self.open_plan_doc, None, log_menu)
        settings_menu = menu.addMenu("&Cài đặt")
        self._action("Thông tin đơn vị và cán bộ…", self.edit_setup, None, settings_menu)
        self._action("Đơn vị và đơn vị cấp dưới…", self.edit_units, None, settings_menu)
        self._action("Danh mục hình thức, chủ đề…", self.edit_taxonomy, None, settings_menu)
        self._action("Báo cáo: kỳ, hạn nộp, mẫu Word…", self.edit_report_settings, None, settings_menu)
        help_menu = menu.addMenu("Trợ &giúp")
        self.help_action = self._action("Hướng dẫn sử dụng", self.show_help, QKeySequence.HelpContents, help_menu)
        help_menu.addSeparator()
        self._action("Lưu nhật ký để gửi hỗ trợ…", self.save_for_support, None, help_menu)
        self._action("Giới thiệu", self.about, None, help_menu)

        toolbar = QToolBar("Thanh công cụ")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonTextOnly)
        for action in (self.new_action, self.edit_action, self.duplicate_action, self.delete_action):
            toolbar.addAction(action)
        toolbar.addSeparator()
        toolbar.addAction(self._action("Thùng rác", self.open_trash))
        self.addToolBar(toolbar)
        def page_changed(_index: int) -> None:  # the toolbar and the totals belong to the log
            on_log = self.pages.currentWidget() is self.log_page
            toolbar.setVisible(on_log)
            self.totals.setVisible(on_log)

        self.pages.currentChanged.connect(page_changed)
        page_changed(self.pages.currentIndex())

    def _update_actions(self, *_args) -> None:
        count = len(self.selected_ids())
        self.edit_action.setEnabled(count == 1)
        self.duplicate_action.setEnabled(count == 1)
        self.delete_action.setEnabled(count > 0)

    def _context_menu(self, position) -> None:
        menu = QMenu(self)
        for action in (self.new_action, self.edit_action, self.duplicate_action, self.delete_action):
            menu.addAction(action)
        menu.exec(self.table.viewport().mapToGlobal(position))

    # --- loading -------------------------------------------------------------------

    def _unit_name(self) -> str:
        profile = settings.load_profile(self.db)
        try:
            return units.get_unit(self.db, profile.unit_id).name if profile else ""
        except UserError:
            return ""

    def apply_filter(self, flt: ActivityFilter | None = None) -> None:
        """Show the first page at once (newest first), then the full list and totals from a worker."""
        flt = flt or self.filters.current_filter()
        header = self.table.horizontalHeader()
        column = header.sortIndicatorSection()
        self.model.filter = flt
        self.model.sort_key = (COLUMNS[column][2] if 0 <= column < len(COLUMNS) else None) or "date"
        self.model.descending = header.sortIndicatorOrder() == Qt.DescendingOrder
        self._generation += 1
        generation = self._generation
        self.loading = True
        if self.model.sort_key == "date" and self.model.descending:
            self.model.set_ids(repository.first_ids(self.db, flt, limit=PAGE_SIZE))
            self.totals.setText(f"Đang đếm… (đã hiện {format_number(self.model.rowCount())} hoạt động mới nhất)")
        else:
            self.totals.setText("Đang sắp xếp…")
        db_path, sort, descending = self.db_path, self.model.sort_key, self.model.descending

        def work():
            conn = connect(db_path)
            try:
                ids = repository.ordered_ids(conn, flt, sort=sort, descending=descending)
                return ids, repository.totals(conn, flt)
            finally:
                conn.close()

        run_in_background(
            work,
            on_done=lambda result: self._loaded(generation, *result),
            on_error=lambda exc, details: self._load_failed(generation, exc, details),
        )

    def _loaded(self, generation: int, ids, totals: Totals) -> None:
        if generation != self._generation:
            return  # the officer changed the filter meanwhile
        self.model.complete_ids(ids)
        self.loading = False
        if self._select_after_load is not None:
            self.select_activity(self._select_after_load)
            self._select_after_load = None
        self.show_totals(totals)
        self._update_actions()

    def _load_failed(self, generation: int, exc: Exception, details: str) -> None:
        if generation == self._generation:
            self.loading = False
            self.totals.setText("Không tải được danh sách.")
            QMessageBox.critical(self, "Lỗi", f"Không tải được danh sách hoạt động.\n{exc}")

    def show_totals(self, totals: Totals) -> None:
        self.totals.setText(
            f"<b>{format_number(totals.count)}</b> hoạt động · Số lượng: <b>{format_number(totals.quantity)}</b>"
            f" · Thời lượng: <b>{format_number(totals.duration_minutes)}</b> phút"
            f" · Người tham dự/tiếp cận: <b>{format_number(totals.participants)}</b>"
            f" · Kinh phí: <b>{format_number(totals.cost)}</b> đồng"
        )

    def select_activity(self, activity_id: int) -> None:
        row = self.model.row_of(activity_id)
        if row >= 0:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))

    # --- commands ------------------------------------------------------------------

    def selected_ids(self) -> list[int]:
        selection = self.table.selectionModel()
        return [index.data(ID_ROLE) for index in selection.selectedRows()] if selection else []

    def _data_changed(self) -> None:
        """The log, the units or the plans changed: the overview counts again when next shown."""
        self.home.data_changed()

    def show_log(self, flt) -> None:
        """The log, filtered as a bar of the overview was (a month, a form, a unit)."""
        self.filters.show_filter(flt)
        self.pages.setCurrentWidget(self.log_page)

    def show_report(self, report_id: int) -> None:
        self.reports.reload(select=report_id)
        self.pages.setCurrentWidget(self.reports)

    def _after_save(self, activity_id: int) -> None:
        self._data_changed()
        self._select_after_load = activity_id
        self.apply_filter()
        self.select_activity(activity_id)

    def new_activity(self) -> None:
        profile = settings.load_profile(self.db)
        dialog = ActivityDialog(self.db, self, default_unit=profile.unit_id if profile else None)
        if dialog.exec() and dialog.saved:
            self.remember(undo.added(dialog.saved.id))
            self._after_save(dialog.saved.id)
            self.statusBar().showMessage("Đã lưu hoạt động mới.", 5000)

    def edit_activity(self) -> None:
        ids = self.selected_ids()
        if len(ids) != 1:
            return
        try:
            activity = repository.get_activity(self.db, ids[0])
        except UserError as exc:
            QMessageBox.warning(self, "Không mở được", exc.message)
            return
        before = undo.values_before_edit(self.db, activity.id)
        dialog = ActivityDialog(self.db, self, activity=activity)
        if dialog.exec() and dialog.saved:
            self.remember(undo.edited(self.db, activity.id, before))
            self._after_save(activity.id)
            self.statusBar().showMessage("Đã lưu thay đổi.", 5000)

    def duplicate_activity(self) -> None:
        ids = self.selected_ids()
        if len(ids) != 1:
            return
        source = repository.get_activity(self.db, ids[0])
        dialog = ActivityDialog(self.db, self, template=source)
        dialog.setWindowTitle("Nhân bản hoạt động")
        if dialog.exec() and dialog.saved:
            self.remember(undo.added(dialog.saved.id, "Nhân bản hoạt động"))
            self._after_save(dialog.saved.id)
            self.statusBar().showMessage("Đã lưu bản sao.", 5000)

    def delete_selected(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        answer = QMessageBox.question(
            self, "Xóa hoạt động?",
            f"Chuyển {format_number(len(ids))} hoạt động đã chọn vào Thùng rác?\n"
            "Có thể khôi phục lại từ Hoạt động → Thùng rác.",
            QMessageBox.Yes | QMessageBox.No, QMessageBox.No,
        )  # fmt: skip
        if answer != QMessageBox.Yes:
            return
        moved = service.delete_activities(self.db, ids)
        self.remember(undo.deleted(ids))
        self._data_changed()
        self.apply_filter()
        self.statusBar().showMessage(f"Đã chuyển {format_number(moved)} hoạt động vào Thùng rác.", 8000)

    # --- undo ------------------------------------------------------------------------

    def remember(self, step) -> None:
        """An action done in the log: Hoàn tác (Ctrl+Z) can undo it."""
        self.undo_stack.push(step)
        self._update_undo()

    def _update_undo(self) -> None:
        stack = self.undo_stack
        self.undo_action.setEnabled(bool(stack.undo_text))
        self.undo_action.setText(f"Hoàn tác: {stack.undo_text}" if stack.undo_text else "Hoàn tác")
        self.redo_action.setEnabled(bool(stack.redo_text))
        self.redo_action.setText(f"Làm lại: {stack.redo_text}" if stack.redo_text else "Làm lại")

    def undo(self) -> None:
        if self.undo_stack.undo_text:
            self._undo_or_redo(self.undo_stack.undo, "Đã hoàn tác")

    def redo(self) -> None:
        if self.undo_stack.redo_text:
            self._undo_or_redo(self.undo_stack.redo, "Đã làm lại")

    def _undo_or_redo(self, work, done: str) -> None:
        try:
            text = work(self.db)
        except UserError as exc:  # e.g. the activity was emptied from the trash meanwhile: nothing changed
            QMessageBox.warning(self, "Không hoàn tác được", exc.message)
            return
        self._update_undo()
        self._data_changed()
        self.apply_filter()
        self.statusBar().showMessage(f"{done}: {text.lower()}.", 8000)

    def open_trash(self) -> None:
        dialog = TrashDialog(self.db, self)
        dialog.exec()
        self._data_changed()
        self.apply_filter()

    def open_plans(self) -> None:
        from gui.plans_dialog import PlansDialog

        PlansDialog(self.db, self).exec()
        self._data_changed()

    def open_plan_doc(self) -> None:
        from gui.plan_doc_dialog import PlanDocDialog

        PlanDocDialog(self.db, self).exec()

    def edit_setup(self) -> None:
        from gui.setup_dialog import SetupDialog

        if SetupDialog(self.db, self).exec():
            self._data_changed()
            self.filters.reload_choices()
            self.setWindowTitle(f"{APP_NAME} — {self._unit_name()}")

    def edit_units(self) -> None:
        from gui.units_dialog import UnitsDialog

        dialog = UnitsDialog(self.db, self)
        dialog.exec()
        if dialog.changed:
            self._data_changed()
            self.filters.reload_choices()
            self.setWindowTitle(f"{APP_NAME} — {self._unit_name()}")
            self.apply_filter()

    def edit_taxonomy(self) -> None:
        from gui.taxonomy_dialog import TaxonomyDialog

        dialog = TaxonomyDialog(self.db, self)
        dialog.exec()
        if dialog.changed:
            self._data_changed()
            self.filters.reload_choices()
            self.model.refresh_rows()

    def edit_report_settings(self) -> None:
        from gui.report_settings_dialog import ReportSettingsDialog

        if ReportSettingsDialog(self.db, self).exec():
            self._data_changed()
            self.reports.reload()
            self.filters.reload_choices()  # the report periods offered as filters follow the rules

    def create_demo(self) -> None:
        from gui.demo_dialog import run_demo

        if run_demo(self, self.db_path):
            self.demo_changed()

    def demo_changed(self) -> None:
        """Demo data was added or removed: every page shows the log as it is now."""
        self.demo_banner.refresh()
        self._data_changed()
        self.filters.reload_choices()
        self.apply_filter()
        self.reports.reload()

    def show_help(self) -> None:
        from gui.help_window import show_help

        show_help(self)

    def about(self) -> None:
        from gui.about_dialog import AboutDialog

        dialog = AboutDialog(self.db_path, self)
        dialog.exec()
        dialog.deleteLater()
