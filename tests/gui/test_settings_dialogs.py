"""First-start setup, units and the taxonomy labels, as the officer fills them in."""

from __future__ import annotations

from core import settings, taxonomy, units
from gui.setup_dialog import SetupDialog
from gui.taxonomy_dialog import TaxonomyDialog
from gui.units_dialog import UnitEditDialog, UnitsDialog
from tests.gui.conftest import type_text


def test_first_start_picks_the_official_commune(qtbot, db):
    dialog = SetupDialog(db, first_run=True)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle().startswith("Chào mừng")
    type_text(dialog.unit_name, "hai lang")
    assert "Xã Hải Lăng" in dialog.unit_name.suggest(dialog.unit_name.text())
    dialog.unit_name.choose("Xã Hải Lăng")
    assert dialog.province.currentText() == "Quảng Trị"
    assert dialog.parent_agency.text() == "UBND TỈNH QUẢNG TRỊ"
    assert "19702" in dialog.code_note.text()
    type_text(dialog.officer_name, "Lê Thị Mai")
    dialog.save()
    assert dialog.result() == SetupDialog.DialogCode.Accepted
    profile = settings.load_profile(db)
    unit = units.get_unit(db, profile.unit_id)
    assert (unit.name, unit.official_code, unit.id) == ("Xã Hải Lăng", "19702", "xa-19702")
    assert profile.officer_name == "Lê Thị Mai"
    assert profile.recipients == ["Sở Khoa học và Công nghệ"]


def test_setup_refuses_missing_fields_and_writes_nothing(qtbot, db):
    dialog = SetupDialog(db, first_run=True)
    qtbot.addWidget(dialog)
    dialog.recipient.setCurrentText("")
    dialog.save()
    assert settings.load_profile(db) is None
    assert units.all_units(db) == []
    assert dialog.wrapped["unit_name"].error.text() == "Tên đơn vị không được để trống."
    assert dialog.wrapped["officer_name"].error.text() == "Hãy nhập họ và tên cán bộ phụ trách."
    assert dialog.wrapped["recipients"].error.text() == "Hãy chọn hoặc nhập cơ quan nhận báo cáo."


def test_free_typed_unit_name_gets_a_generated_id(qtbot, db):
    dialog = SetupDialog(db, first_run=True)
    qtbot.addWidget(dialog)
    type_text(dialog.unit_name, "Trung tâm Văn hóa - Thông tin")
    dialog.level.setCurrentIndex(dialog.level.findData("khac"))
    type_text(dialog.officer_name, "Trần Văn Bình")
    dialog.save()
    unit = units.get_unit(db, settings.load_profile(db).unit_id)
    assert unit.official_code is None and unit.id.startswith("u-") and unit.level == "khac"


def test_units_dialog_adds_a_subordinate_and_keeps_rename_history(qtbot, profile_db):
    district, commune = profile_db.units
    dialog = UnitsDialog(profile_db)
    qtbot.addWidget(dialog)
    assert dialog.current_unit_id() == district.id
    assert dialog.tree.topLevelItem(0).childCount() == 1
    add = UnitEditDialog(profile_db, dialog, parent_id=district.id)
    type_text(add.name, "Xã Hải Thượng")
    add.save()
    assert add.result_unit.parent_id == district.id
    dialog.reload()
    assert dialog.tree.topLevelItem(0).childCount() == 2
    edit = UnitEditDialog(profile_db, dialog, unit=commune)
    edit.name.setText("Xã Hải Phú Mới")
    edit.save()
    dialog.reload(select=commune.id)
    assert dialog.history.text().startswith("Tên trước đây: Xã Hải Phú (đến ")
    empty = UnitEditDialog(profile_db, dialog, parent_id=district.id)
    empty.save()
    assert empty.result_unit is None
    assert empty.wrapped["name"].error.text() == "Tên đơn vị không được để trống."


def test_taxonomy_label_edit_and_reset(qtbot, profile_db):
    dialog = TaxonomyDialog(profile_db)
    qtbot.addWidget(dialog)
    table = dialog.tables["form"]
    row = next(r for r in range(table.rowCount()) if table.item(r, 0).text() == "tin_bai")
    table.item(row, 1).setText("Tin, bài trên cổng thông tin của xã")
    assert taxonomy.labels(profile_db, "form")["tin_bai"] == "Tin, bài trên cổng thông tin của xã"
    table.item(row, 2).setText("bài")
    assert {t.code: t.counted_unit for t in taxonomy.terms(profile_db, "form")}["tin_bai"] == "bài"
    dialog.tabs.setCurrentIndex(0)
    table.setCurrentCell(row, 1)
    dialog.reset_current()
    assert taxonomy.labels(profile_db, "form")["tin_bai"].startswith("Tin, bài, ảnh")
