"""Kế hoạch và chỉ tiêu: plans and targets as the officer enters them, and how far along each target is."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox, QProgressBar

from core import plans
from core.activities.service import create_activity
from gui import plans_dialog
from gui.plan_forms import PlanDialog, TargetDialog, ValueDialog
from gui.plans_dialog import PlansDialog
from tests.gui.conftest import type_text

TODAY = dt.date(2025, 6, 30)  # about half of 2025 has gone by (49,6%)


def answer_with(fill):
    """An exec() for a form: fill it in as the officer would, press Lưu, say whether it closed."""

    def exec_(dialog):
        fill(dialog)
        dialog.save()
        return dialog.result() == QDialog.Accepted

    return exec_


class Messages(list):
    """(kind, title, text) of each message box shown; ``answers``: what question() says next."""

    def __init__(self):
        super().__init__()
        self.answers: list = []


@pytest.fixture
def messages(monkeypatch):
    """Message boxes answered without showing them."""
    shown = Messages()
    answers = shown.answers

    def question(_parent, title, text, *_args):
        shown.append(("question", title, text))
        return answers.pop(0) if answers else QMessageBox.No

    def information(_parent, title, text, *_args):
        shown.append(("information", title, text))
        return QMessageBox.Ok

    monkeypatch.setattr(plans_dialog.QMessageBox, "question", question)
    monkeypatch.setattr(plans_dialog.QMessageBox, "information", information)
    return shown


@pytest.fixture
def news_log(profile_db):
    """News items (tin_bai) in 2025 worth 2 + 3 by 30/06, 4 more later, and some outside the year."""
    district, commune = profile_db.units
    for date, qty in (("10/05/2025", "3"), ("15/08/2025", "4"), ("20/11/2024", "7")):
        create_activity(profile_db, {"date_from": date, "unit_id": commune.id, "form_code": "tin_bai",
                                     "title": "Tin bài về Chuyển đổi số trên Trang thông tin điện tử",
                                     "quantity": qty})  # fmt: skip
    return profile_db


@pytest.fixture
def plan(news_log):
    return plans.create_plan(news_log, {"number": "148/KH-UBND", "issued_on": "15/01/2025",
                                        "issuer": "Ủy ban nhân dân huyện", "year_from": 2025, "year_to": 2025,
                                        "title": "Kế hoạch tuyên truyền về chuyển đổi số năm 2025"})  # fmt: skip


def open_dialog(qtbot, db) -> PlansDialog:
    dialog = PlansDialog(db, today=TODAY)
    qtbot.addWidget(dialog)
    return dialog


def row_of(dialog: PlansDialog, name: str) -> int:
    return next(r for r in range(dialog.targets_table.rowCount()) if dialog.targets_table.item(r, 0).text() == name)


def bar(dialog: PlansDialog, row: int) -> QProgressBar:
    return dialog.targets_table.cellWidget(row, 3).findChild(QProgressBar)


def test_a_plan_is_created_through_the_form(qtbot, profile_db, monkeypatch):
    dialog = open_dialog(qtbot, profile_db)
    assert dialog.windowTitle() == "Kế hoạch và chỉ tiêu"
    assert dialog.plans_table.rowCount() == 0
    assert "Thêm kế hoạch…" in dialog.plan_title.text()
    assert not dialog.add_target_button.isEnabled()

    def refused(form: PlanDialog):
        type_text(form.issued_on, "31/02/2025")
        form.year_from.setValue(2026)
        form.year_to.setValue(2025)

    monkeypatch.setattr(PlanDialog, "exec", answer_with(refused))
    dialog.add_plan()
    assert plans.list_plans(profile_db) == []

    def filled(form: PlanDialog):
        type_text(form.number, "148/KH-UBND")
        type_text(form.issued_on, "15/01/2025")
        type_text(form.issuer, "Ủy ban nhân dân huyện Hải Lăng")
        type_text(form.title, "Kế hoạch tuyên truyền về chuyển đổi số năm 2025–2026")
        form.year_from.setValue(2025)
        form.year_to.setValue(2026)

    forms = []
    monkeypatch.setattr(PlanDialog, "exec", lambda form: forms.append(form) or answer_with(filled)(form))
    dialog.add_plan()
    (plan,) = plans.list_plans(profile_db)
    assert (plan.number, plan.issued_on, plan.issuer) == ("148/KH-UBND", dt.date(2025, 1, 15),
                                                          "Ủy ban nhân dân huyện Hải Lăng")  # fmt: skip
    assert (plan.title, plan.year_from, plan.year_to, plan.status) == (
        "Kế hoạch tuyên truyền về chuyển đổi số năm 2025–2026", 2025, 2026, "active")
    cells = [dialog.plans_table.item(0, c).text() for c in range(4)]
    assert cells == ["148/KH-UBND", plan.title, "2025–2026", "Đang thực hiện"]
    assert dialog.current_plan().id == plan.id
    assert "148/KH-UBND ngày 15/01/2025 của Ủy ban nhân dân huyện Hải Lăng" in dialog.plan_title.text()
    assert [dialog.year.itemText(i) for i in range(dialog.year.count())] == ["2025", "2026"]
    assert dialog.year.currentData() == 2025  # the year of "today"
    assert dialog.add_target_button.isEnabled()


def test_plan_form_shows_each_problem_next_to_its_field(qtbot, profile_db):
    form = PlanDialog(profile_db, today=TODAY)
    qtbot.addWidget(form)
    type_text(form.issued_on, "31/02/2025")
    form.year_from.setValue(2026)
    form.year_to.setValue(2025)
    form.save()
    assert form.saved is None
    assert form.wrapped["title"].error.text() == "Hãy nhập tên (trích yếu) của kế hoạch."
    assert form.wrapped["issued_on"].error.text() == "Ngày ban hành “31/02/2025” không có trên lịch (ngày/tháng/năm)."
    assert form.wrapped["year_to"].error.text() == "Năm kết thúc không được trước năm bắt đầu."
    assert form.wrapped["number"].error.isHidden()


def test_a_computed_target_shows_what_the_log_achieved(qtbot, plan, news_log, monkeypatch):
    dialog = open_dialog(qtbot, news_log)

    def filled(form: TargetDialog):
        assert form.year.currentData() == 2025
        type_text(form.name, "Tin, bài về chuyển đổi số trên trang thông tin điện tử")
        type_text(form.planned, "10")
        form.measure.setCurrentIndex(form.measure.findData("quantity"))
        news = next(form.form_list.item(r) for r in range(form.form_list.count())
                    if form.form_list.item(r).data(Qt.UserRole) == "tin_bai")  # fmt: skip
        news.setCheckState(Qt.Checked)
        assert form.unit_label.text() == "tin, bài"  # the form's counted unit, offered

    monkeypatch.setattr(TargetDialog, "exec", answer_with(filled))
    dialog.add_target()
    (target,) = plans.targets_for_year(news_log, 2025)
    assert (target.planned, target.unit_kind, target.unit_label, target.source, target.measure, target.form_codes) == (
        10, "count", "tin, bài", "log", "quantity", ["tin_bai"])
    row = row_of(dialog, target.name)
    cells = [dialog.targets_table.item(row, c).text() for c in (1, 2, 4)]
    # 2 (05/03) + 3 (10/05) by 30/06; the 4 of August and the 7 of 2024 do not count yet
    assert cells == ["10 tin, bài", "5 tin, bài",
                     "Số lượng — từ sổ hoạt động\nHình thức: Tin, bài, ảnh trên cổng/trang thông tin điện tử, báo chí"]
    progress = bar(dialog, row)
    assert (progress.value(), progress.text()) == (50, "50%")
    assert progress.toolTip() == "Đúng hoặc vượt tiến độ."  # 50% done, 49,6% of the year gone
    assert dialog.current_target().id == target.id
    assert dialog.edit_target_button.isEnabled() and not dialog.value_button.isEnabled()


def test_a_target_behind_schedule_is_highlighted(qtbot, plan, news_log):
    plans.create_target(news_log, plan.id, {"name": "Tin, bài trên trang thông tin điện tử", "year": 2025,
                                            "planned": "24", "unit_label": "tin, bài", "measure": "quantity",
                                            "form_codes": ["tin_bai"]})  # fmt: skip
    dialog = open_dialog(qtbot, news_log)
    progress = bar(dialog, 0)
    assert (progress.value(), progress.text()) == (21, "21%")  # 5 of 24
    assert progress.toolTip() == "Chậm tiến độ: theo thời gian cần đạt khoảng 50%."
    assert dialog.targets_table.item(0, 0).background().color() == plans_dialog.BEHIND
    assert "Nền đỏ: chậm tiến độ" in dialog.as_of.text()


def test_a_manual_percent_target_gets_its_value_by_hand(qtbot, plan, news_log, monkeypatch):
    dialog = open_dialog(qtbot, news_log)

    def filled(form: TargetDialog):
        type_text(form.name, "Tỷ lệ trường học có nội dung tuyên truyền về chuyển đổi số")
        type_text(form.planned, "50")
        form.unit_kind.setCurrentIndex(form.unit_kind.findData("percent"))
        form.source.setCurrentIndex(form.source.findData("manual"))
        assert not form.form.isRowVisible(form.wrapped["measure"])  # nothing is counted
        assert not form.form.isRowVisible(form.wrapped["form_codes"])
        assert not form.unit_label.isVisibleTo(form)

    monkeypatch.setattr(TargetDialog, "exec", answer_with(filled))
    dialog.add_target()
    (target,) = plans.targets_for_year(news_log, 2025)
    assert (target.planned, target.unit_kind, target.unit_label, target.source) == (50, "percent", "%", "manual")
    row = row_of(dialog, target.name)
    assert [dialog.targets_table.item(row, c).text() for c in (1, 2, 3, 4)] == ["50%", "Chưa nhập", "—", "Nhập tay"]
    assert dialog.value_button.isEnabled()

    def too_much(form: ValueDialog):
        type_text(form.value, "150")

    monkeypatch.setattr(ValueDialog, "exec", answer_with(too_much))
    dialog.record_value()
    assert dialog.targets_table.item(row, 2).text() == "Chưa nhập"

    def reported(form: ValueDialog):
        assert form.as_of.date().toString("dd/MM/yyyy") == "30/06/2025"
        type_text(form.value, "20")
        type_text(form.note, "Báo cáo của phòng Giáo dục và Đào tạo")

    monkeypatch.setattr(ValueDialog, "exec", answer_with(reported))
    dialog.record_value()
    row = row_of(dialog, target.name)
    assert dialog.targets_table.item(row, 2).text() == "20%"
    progress = bar(dialog, row)
    assert (progress.value(), progress.text()) == (40, "40%")
    assert progress.toolTip().startswith("Chậm tiến độ")  # 40% of the plan, half the year gone


def test_value_form_refuses_a_percent_over_100(qtbot, plan, news_log):
    target = plans.create_target(news_log, plan.id, {"name": "Tỷ lệ hộ gia đình dùng VNeID", "planned": "80",
                                                     "unit_kind": "percent", "source": "manual"})  # fmt: skip
    form = ValueDialog(news_log, target, today=TODAY)
    qtbot.addWidget(form)
    type_text(form.value, "150")
    form.save()
    assert not form.recorded
    assert form.wrapped["value"].error.text() == "Giá trị đạt được không hợp lệ (0–100%)."


def test_target_form_shows_validation_messages(qtbot, plan, news_log):
    form = TargetDialog(news_log, plan, year=2025)
    qtbot.addWidget(form)
    type_text(form.planned, "0")
    form.save()
    assert form.saved is None
    assert form.wrapped["name"].error.text() == "Hãy nhập tên chỉ tiêu."
    assert form.wrapped["planned"].error.text() == "Giá trị kế hoạch phải lớn hơn 0."
    assert form.wrapped["year"].error.isHidden()
    assert plans.targets_for_year(news_log, 2025) == []
    type_text(form.name, "Hội nghị hưởng ứng Ngày Chuyển đổi số quốc gia")
    form.planned.setText("")
    type_text(form.planned, "2")
    form.save()
    assert form.saved.name == "Hội nghị hưởng ứng Ngày Chuyển đổi số quốc gia" and form.saved.planned == 2


def test_editing_a_target_keeps_its_place_and_can_switch_to_money(qtbot, plan, news_log, monkeypatch):
    first = plans.create_target(news_log, plan.id, {"name": "Hội nghị, sự kiện", "planned": "2", "sort_order": 0})
    second = plans.create_target(news_log, plan.id, {"name": "Kinh phí", "planned": "5", "sort_order": 1})
    dialog = open_dialog(qtbot, news_log)
    dialog.targets_table.selectRow(row_of(dialog, second.name))

    def to_money(form: TargetDialog):
        assert form.name.text() == "Kinh phí" and form.planned.text() == "5"
        form.unit_kind.setCurrentIndex(form.unit_kind.findData("money"))
        assert form.measure.currentData() == "cost" and form.unit_label.text() == "đồng"
        form.planned.setText("15.000.000")

    monkeypatch.setattr(TargetDialog, "exec", answer_with(to_money))
    dialog.edit_target()
    edited = plans.get_target(news_log, second.id)
    assert (edited.planned, edited.unit_kind, edited.measure, edited.sort_order) == (15_000_000, "money", "cost", 1)
    assert [dialog.targets_table.item(r, 0).text() for r in range(2)] == [first.name, second.name]
    assert dialog.targets_table.item(1, 1).text() == "15.000.000 đồng"
    assert dialog.targets_table.item(1, 2).text() == "12.500.000 đồng"  # 500.000 + 12.000.000 by 30/06


def test_copy_to_next_year_says_how_many(qtbot, plan, news_log, messages):
    for name in ("Tin, bài", "Hội nghị"):
        plans.create_target(news_log, plan.id, {"name": name, "year": 2025, "planned": "10"})
    dialog = open_dialog(qtbot, news_log)
    assert dialog.copy_button.isEnabled()
    dialog.copy_to_next_year()
    assert messages[-1] == ("information", "Sao chép chỉ tiêu", "Đã sao chép 2 chỉ tiêu năm 2025 sang năm 2026."
                            " Hãy xem lại giá trị kế hoạch của năm mới.")  # fmt: skip
    assert plans.get_plan(news_log, plan.id).year_to == 2026
    assert dialog.plans_table.item(0, 2).text() == "2025–2026"
    assert dialog.year.currentData() == 2026
    assert [dialog.targets_table.item(r, 0).text() for r in range(2)] == ["Tin, bài", "Hội nghị"]
    dialog.year.setCurrentIndex(dialog.year.findData(2025))
    dialog.copy_to_next_year()
    assert messages[-1][2] == "Các chỉ tiêu năm 2025 đều đã có ở năm 2026, không có chỉ tiêu nào cần sao chép."
    assert len(plans.targets_for_year(news_log, 2026)) == 2


def test_deleting_a_target_asks_first(qtbot, plan, news_log, messages):
    target = plans.create_target(news_log, plan.id, {"name": "Tin, bài trên trang thông tin điện tử",
                                                     "planned": "10"})  # fmt: skip
    dialog = open_dialog(qtbot, news_log)
    dialog.targets_table.selectRow(0)
    messages.answers.append(QMessageBox.No)
    dialog.delete_target()
    kind, title, text = messages[-1]
    assert (kind, title) == ("question", "Xóa chỉ tiêu?")
    assert text.startswith("Xóa chỉ tiêu “Tin, bài trên trang thông tin điện tử” năm 2025?")
    assert "Các hoạt động trong sổ vẫn giữ nguyên." in text
    assert plans.get_target(news_log, target.id)
    assert dialog.targets_table.rowCount() == 1
    messages.answers.append(QMessageBox.Yes)
    dialog.delete_target()
    assert plans.targets_for_year(news_log, 2025) == []
    assert dialog.targets_table.rowCount() == 0
    assert not dialog.delete_target_button.isEnabled()


def test_deleting_a_plan_says_its_targets_go_and_activities_stay(qtbot, plan, news_log, messages):
    plans.create_target(news_log, plan.id, {"name": "Tin, bài", "planned": "10"})
    activities = news_log.execute("SELECT count(*) FROM activities").fetchone()[0]
    dialog = open_dialog(qtbot, news_log)
    messages.answers.append(QMessageBox.Yes)
    dialog.delete_plan()
    kind, title, text = messages[-1]
    assert (kind, title) == ("question", "Xóa kế hoạch?")
    assert "1 chỉ tiêu của kế hoạch và các giá trị đã nhập cho chúng cũng bị xóa theo." in text
    assert "Các hoạt động trong sổ vẫn giữ nguyên." in text
    assert plans.list_plans(news_log) == []
    assert dialog.plans_table.rowCount() == 0 and dialog.targets_table.rowCount() == 0
    assert news_log.execute("SELECT count(*) FROM activities").fetchone()[0] == activities


def test_the_activities_menu_opens_the_dialog(window, monkeypatch):
    opened = []
    monkeypatch.setattr(PlansDialog, "exec", lambda dialog: opened.append(dialog.windowTitle()) or 0)
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Hoạt động")
    texts = [a.text() for a in menu.actions()]
    assert texts[texts.index("Thùng rác…") + 1] == "Kế hoạch và chỉ tiêu…"
    menu.actions()[texts.index("Kế hoạch và chỉ tiêu…")].trigger()
    assert opened == ["Kế hoạch và chỉ tiêu"]


def test_targets_imported_from_an_excel_sheet(qtbot, profile_db, tmp_path, monkeypatch):
    import openpyxl

    from gui import file_dialogs

    plan = plans.create_plan(profile_db, {"title": "Kế hoạch 2025", "year_from": 2025, "year_to": 2025})
    wb = openpyxl.Workbook()
    wb.active.append(["Chỉ tiêu", "Đơn vị tính", "Kế hoạch", "Hình thức"])
    wb.active.append(["Tin, bài trên cổng", "tin, bài", 24, "Tin, bài"])
    wb.active.append(["Tỷ lệ trường học", "%", 50, None])
    wb.save(tmp_path / "ct.xlsx")
    dialog = PlansDialog(profile_db, today=dt.date(2025, 6, 30))
    qtbot.addWidget(dialog)
    dialog.show()
    shown = []
    monkeypatch.setattr(file_dialogs, "choose_files_to_open", lambda *a: [str(tmp_path / "ct.xlsx")])
    monkeypatch.setattr(QMessageBox, "information", lambda *a: shown.append(a[2]))
    dialog.import_from_excel()
    assert shown == ["Đã thêm 2 chỉ tiêu từ tệp Excel."]
    assert [t.name for t in plans.targets_for_plan(profile_db, plan.id)] == ["Tin, bài trên cổng", "Tỷ lệ trường học"]
    assert dialog.targets_table.rowCount() == 2


def test_plan_form_keeps_the_plan_document(qtbot, profile_db, tmp_path, monkeypatch):
    from gui import file_dialogs
    from tests.gui.conftest import type_text

    pdf = tmp_path / "Kế hoạch 148.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    monkeypatch.setattr(file_dialogs, "choose_files_to_open", lambda *a: [str(pdf)])
    form = PlanDialog(profile_db)
    qtbot.addWidget(form)
    type_text(form.title, "Kế hoạch tuyên truyền năm 2025")
    form.year_from.setValue(2025)
    form.year_to.setValue(2025)
    form._choose_document()
    assert form.document.text() == "Kế hoạch 148.pdf (chưa lưu)"
    form.save()
    assert form.saved.document_name == "Kế hoạch 148.pdf"
    assert plans.document_path(profile_db, form.saved).read_bytes() == b"%PDF-1.4"


def test_manual_value_with_its_evidence_file(qtbot, profile_db, tmp_path, monkeypatch):
    from gui import file_dialogs
    from tests.gui.conftest import type_text

    plan = plans.create_plan(profile_db, {"title": "Kế hoạch", "year_from": 2025, "year_to": 2025})
    target = plans.create_target(profile_db, plan.id, {"name": "Tỷ lệ trường học", "planned": 50, "year": 2025,
                                                       "unit_kind": "percent", "source": "manual"})  # fmt: skip
    scan = tmp_path / "bao_cao_phong_giao_duc.pdf"
    scan.write_bytes(b"%PDF scan")
    monkeypatch.setattr(file_dialogs, "choose_files_to_open", lambda *a: [str(scan)])
    form = ValueDialog(profile_db, target, today=dt.date(2025, 6, 30))
    qtbot.addWidget(form)
    type_text(form.value, "45")
    form._choose_evidence()
    assert form.evidence.text() == "bao_cao_phong_giao_duc.pdf"
    form.save()
    row = profile_db.execute("SELECT value, evidence_name, evidence_sha256 FROM target_values").fetchone()
    assert row[0] == 45 and row[1] == "bao_cao_phong_giao_duc.pdf" and len(row[2]) == 64
