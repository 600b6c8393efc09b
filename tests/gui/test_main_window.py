"""The officer's way through the window: type, save, find, delete, restore."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox

from core.units import create_unit
from core.activities import repository
from core.activities.filters import ActivityFilter
from gui.activity_dialog import ActivityDialog
from gui.filter_bar import to_qdate
from gui.trash_dialog import TrashDialog
from tests.gui.conftest import type_text


def fill_dialog(qtbot, dialog: ActivityDialog, *, title: str, cost: str = "1.500.000") -> None:
    dialog.date_from.setDate(to_qdate(dt.date(2025, 5, 12)))
    dialog.form.setCurrentIndex(dialog.form.findData("truc_tiep"))
    type_text(dialog.title, title)
    dialog.quantity.clear()
    type_text(dialog.quantity, "4")
    type_text(dialog.participants, "1.250")
    type_text(dialog.cost, cost)
    dialog.funding.setCurrentIndex(dialog.funding.findData("ns_xa"))
    dialog.topics.item(5).setCheckState(Qt.Checked)  # Đề án 06 / VNeID


def click_save(qtbot, dialog: ActivityDialog) -> None:
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)


def answer_next_message_box(button) -> None:
    def answer():
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox), box
        box.button(button).click()

    QTimer.singleShot(50, answer)


def test_new_activity_is_saved_and_shown(qtbot, window, profile_db):
    def type_and_save():
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ActivityDialog)
        assert dialog.counted_unit.text() == ""
        fill_dialog(qtbot, dialog, title="Tổ công nghệ số hướng dẫn cài ứng dụng VNeID")
        assert dialog.counted_unit.text() == "buổi"
        assert dialog.participants_label.text() == "Số người được hướng dẫn"
        click_save(qtbot, dialog)

    QTimer.singleShot(50, type_and_save)
    window.new_action.trigger()
    qtbot.waitUntil(lambda: not window.loading, timeout=5000)
    assert window.model.rowCount() == 4
    saved = [a for a in repository.page(profile_db, ActivityFilter(search="to cong nghe"))]
    assert len(saved) == 1
    row = saved[0]
    assert (row["quantity"], row["participants"], row["cost"]) == (4, 1250, 1_500_000)
    assert row["topic_labels"] == "Đề án 06 / định danh điện tử (VNeID)"
    selected = window.selected_ids()
    assert selected == [row["id"]]
    assert "4</b> hoạt động" in window.totals.text()


def test_invalid_fields_are_reported_and_nothing_saved(qtbot, profile_db):
    dialog = ActivityDialog(profile_db)
    qtbot.addWidget(dialog)
    before = repository.count(profile_db, ActivityFilter())
    dialog.quantity.setText("mười")
    type_text(dialog.cost, "200.000")
    click_save(qtbot, dialog)
    assert dialog.saved is None
    assert repository.count(profile_db, ActivityFilter()) == before
    assert dialog.wrapped["form_code"].error.text() == "Hãy chọn hình thức tuyên truyền."
    assert dialog.wrapped["title"].error.text() == "Hãy nhập tên, nội dung hoạt động."
    assert "Số lượng phải là một số" in dialog.wrapped["quantity"].error.text()
    assert dialog.wrapped["funding_code"].error.text() == "Có kinh phí thì hãy chọn nguồn kinh phí."
    assert not dialog.wrapped["date_from"].error.isVisible()


def test_edit_keeps_nfc_and_updates_search(qtbot, profile_db):
    activity_id = repository.ordered_ids(profile_db, ActivityFilter(search="vneid"))[0]
    dialog = ActivityDialog(profile_db, activity=repository.get_activity(profile_db, activity_id))
    qtbot.addWidget(dialog)
    dialog.title.setText("Hướng dẫn cài ứng dụng định danh điện tử".encode().decode())
    dialog.title.setText("Hu\u031bo\u031b\u0301ng da\u0302\u0303n ca\u0300i VNeID")  # NFD typing
    click_save(qtbot, dialog)
    assert dialog.saved is not None
    assert dialog.saved.title == "Hướng dẫn cài VNeID"
    assert list(repository.ordered_ids(profile_db, ActivityFilter(search="huong dan"))) == [activity_id]


def test_search_box_filters_the_log(qtbot, window):
    type_text(window.filters.search, "CHUYEN doi")
    qtbot.waitUntil(lambda: window.model.rowCount() == 1 and not window.loading, timeout=5000)
    assert "Chuyển đổi số" in window.model.data(window.model.index(0, 3))
    assert "<b>1</b> hoạt động" in window.totals.text()
    window.filters.search.clear()
    qtbot.waitUntil(lambda: window.model.rowCount() == 3 and not window.loading, timeout=5000)


def test_unit_filter_with_and_without_subunits(qtbot, window, profile_db):
    district, _commune = profile_db.units
    window.filters.unit.setCurrentIndex(window.filters.unit.findData(district.id))
    qtbot.waitUntil(lambda: not window.loading and window.model.rowCount() == 3, timeout=5000)
    window.filters.subunits.setChecked(False)
    qtbot.waitUntil(lambda: not window.loading and window.model.rowCount() == 1, timeout=5000)


def test_several_units_chosen_together(qtbot, window, profile_db, monkeypatch):
    from gui import filter_bar

    district, commune = profile_db.units
    other = create_unit(profile_db, name="Xã Hải Sơn", level="xa", parent_id=district.id)
    window.filters.reload_choices()
    answers = [(True, (commune.id, other.id)), (False, ())]

    class Chooser:  # what the officer ticks in "Chọn nhiều đơn vị…"
        def __init__(self, db, chosen, parent):
            self.accepted, self.units = answers.pop(0)

        def exec(self):
            return self.accepted

        def chosen(self):
            return self.units

    monkeypatch.setattr(filter_bar, "UnitChoiceDialog", Chooser)
    many = window.filters.unit.findData(filter_bar.MANY)
    assert window.filters.unit.itemText(many) == "Chọn nhiều đơn vị…"
    window.filters.unit.setCurrentIndex(many)
    qtbot.waitUntil(lambda: not window.loading and window.model.rowCount() == 2, timeout=5000)  # the commune's two
    assert window.filters.current_filter().unit_ids == (commune.id, other.id)
    assert window.filters.unit.itemText(many) == "2 đơn vị đã chọn…"
    window.filters.unit.setCurrentIndex(0)
    qtbot.waitUntil(lambda: not window.loading and window.model.rowCount() == 3, timeout=5000)
    window.filters.unit.setCurrentIndex(many)  # cancelled this time: back to "Tất cả đơn vị"
    assert window.filters.unit.currentIndex() == 0 and window.filters.current_filter().unit_ids == ()


def test_delete_asks_then_moves_to_trash_and_restores(qtbot, window, profile_db):
    window.table.selectRow(0)
    answer_next_message_box(QMessageBox.No)
    window.delete_action.trigger()
    assert repository.count(profile_db, ActivityFilter()) == 3

    deleted_id = window.selected_ids()[0]
    answer_next_message_box(QMessageBox.Yes)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key_Delete)
    qtbot.waitUntil(lambda: not window.loading and window.model.rowCount() == 2, timeout=5000)
    assert repository.count(profile_db, ActivityFilter(in_trash=True)) == 1

    trash = TrashDialog(profile_db)
    qtbot.addWidget(trash)
    assert trash.model.rowCount() == 1
    trash.table.selectRow(0)
    trash.restore_button.click()
    assert trash.model.rowCount() == 0
    assert deleted_id in repository.ordered_ids(profile_db, ActivityFilter())


def test_ctrl_z_undoes_a_delete_and_ctrl_y_does_it_again(qtbot, window, profile_db):
    assert not window.undo_action.isEnabled() and window.undo_action.text() == "Hoàn tác"
    window.table.selectAll()
    answer_next_message_box(QMessageBox.Yes)
    window.delete_action.trigger()
    qtbot.waitUntil(lambda: not window.loading and window.model.rowCount() == 0, timeout=5000)
    assert window.undo_action.isEnabled() and window.undo_action.text() == "Hoàn tác: Xóa 3 hoạt động"
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key_Z, Qt.ControlModifier)
    qtbot.waitUntil(lambda: not window.loading and window.model.rowCount() == 3, timeout=5000)
    assert "Đã hoàn tác: xóa 3 hoạt động" in window.statusBar().currentMessage()
    assert window.redo_action.text() == "Làm lại: Xóa 3 hoạt động" and not window.undo_action.isEnabled()
    qtbot.keyClick(window.table, Qt.Key_Y, Qt.ControlModifier)
    qtbot.waitUntil(lambda: not window.loading and window.model.rowCount() == 0, timeout=5000)
    assert repository.count(profile_db, ActivityFilter(in_trash=True)) == 3


def test_escape_on_changed_dialog_asks_before_discarding(qtbot, profile_db):
    dialog = ActivityDialog(profile_db)
    qtbot.addWidget(dialog)
    dialog.show()
    type_text(dialog.title, "Chưa lưu")
    answer_next_message_box(QMessageBox.No)
    qtbot.keyClick(dialog, Qt.Key_Escape)
    assert dialog.isVisible()
    answer_next_message_box(QMessageBox.Yes)
    qtbot.keyClick(dialog, Qt.Key_Escape)
    assert not dialog.isVisible()


def test_no_english_in_menus_and_toolbar(window):
    from PySide6.QtWidgets import QToolBar

    texts = []
    for top in window.menuBar().actions():
        texts.append(top.text())
        texts += [a.text() for a in top.menu().actions() if not a.isSeparator()]
    for toolbar in window.findChildren(QToolBar):
        texts += [a.text() for a in toolbar.actions() if not a.isSeparator()]
    assert len(texts) > 10 and all(texts)
    english = {"File", "Edit", "Delete", "Open", "Save", "Cancel", "Help", "New"}
    assert not [t for t in texts if t.replace("&", "") in english]


def test_duplicate_prefills_everything_but_the_date(qtbot, window, profile_db):
    source_id = repository.ordered_ids(profile_db, ActivityFilter(search="hoi nghi"))[0]
    window.select_activity(source_id)

    def check_and_save():
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ActivityDialog)
        assert dialog.windowTitle() == "Nhân bản hoạt động"
        assert dialog.title.text() == "Hội nghị Đảng ủy triển khai Đề án 06"
        assert dialog.cost.text() == "12.000.000"
        assert dialog.date_from.date().toPython() == dt.date.today()
        click_save(qtbot, dialog)

    QTimer.singleShot(50, check_and_save)
    window.duplicate_action.trigger()
    qtbot.waitUntil(lambda: not window.loading, timeout=5000)
    copies = repository.ordered_ids(profile_db, ActivityFilter(search="hoi nghi dang uy"))
    assert len(copies) == 2 and window.selected_ids() == [max(copies)]


def test_sorting_a_column_loads_in_the_background(qtbot, window):
    from gui.activity_table_model import COLUMNS

    cost = [c[1] for c in COLUMNS].index("cost")
    reloads = []
    window.model.modelReset.connect(lambda: reloads.append(1))
    window.table.sortByColumn(cost, Qt.DescendingOrder)
    assert window.loading  # the UI thread only recorded the new order
    qtbot.waitUntil(lambda: not window.loading, timeout=5000)
    assert [window.model.data(window.model.index(r, cost)) for r in range(3)] == ["12.000.000", "500.000", ""]
    assert len(reloads) == 1


def test_column_widths_are_remembered(qtbot, profile_db, db_path):
    from PySide6.QtCore import QSettings

    from gui.main_window import MainWindow

    QSettings().remove("main_window")
    first = MainWindow(profile_db, db_path)
    qtbot.addWidget(first)
    first.table.setColumnWidth(3, 555)
    first.close()
    second = MainWindow(profile_db, db_path)
    qtbot.addWidget(second)
    assert second.table.columnWidth(3) == 555
    qtbot.waitUntil(lambda: not first.loading and not second.loading, timeout=5000)


def test_report_periods_are_offered_as_filters(qtbot, profile_db):
    from core import settings
    from gui.filter_bar import FilterBar

    settings.put(profile_db, "report_rules", "nd09")
    bar = FilterBar(profile_db, today=dt.date(2025, 5, 20))
    qtbot.addWidget(bar)
    labels = [bar.period.itemText(i) for i in range(bar.period.count())]
    assert "Kỳ báo cáo 6 tháng 2025 (15/12/2024–14/06/2025)" in labels
    bar.period.setCurrentIndex(labels.index("Kỳ báo cáo 6 tháng 2025 (15/12/2024–14/06/2025)"))
    flt = bar.current_filter()
    assert (flt.date_from, flt.date_to) == (dt.date(2024, 12, 15), dt.date(2025, 6, 14))


def test_window_opens_on_the_overview_and_a_bar_opens_the_log(qtbot, profile_db, db_path):
    from gui.main_window import MainWindow

    day = dt.date.today()
    win = MainWindow(profile_db, db_path)
    qtbot.addWidget(win)
    win.show()
    assert win.pages.currentWidget() is win.home and win.pages.tabText(0) == "Tổng quan"
    qtbot.waitUntil(lambda: not win.home.loading and not win.loading, timeout=5000)
    assert not win.totals.isVisible()  # the totals bar belongs to the log
    win.home.open_log.emit(ActivityFilter(date_from=day.replace(day=1), date_to=day))
    assert win.pages.currentWidget() is win.log_page and win.totals.isVisible()
    assert win.filters.date_from.isVisible()
    qtbot.waitUntil(lambda: not win.loading, timeout=5000)
    assert (win.filters.current_filter().date_from, win.filters.current_filter().date_to) == (day.replace(day=1), day)
