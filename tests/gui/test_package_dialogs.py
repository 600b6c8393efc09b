"""Xuất ra USB and Nhận dữ liệu in the window: a commune writes its package, the district receives it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from core import periods, settings
from core.reports import store
from core.activities.service import create_activity
from core.db import open_db
from core.package.drives import Drive
from core.units import create_unit
from gui.package_export_dialog import PackageExportDialog
from gui.package_receive_dialog import PackageReceiveDialog


@pytest.fixture(autouse=True)
def overwrite_yes(monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.Yes)


@pytest.fixture
def commune_db(tmp_path, profile_db):
    """The commune's own database: the same unit id as the district knows it, two activities of 2025."""
    path = tmp_path / "xa" / "so.db"
    path.parent.mkdir()
    db = open_db(path)
    commune = create_unit(db, name="Xã Hải Phú", level="xa", unit_id=profile_db.units[1].id)
    settings.save_profile(db, settings.Profile(unit_id=commune.id, officer_name="Lê Thị Mai"))
    for day, title in (("05/05/2025", "Tập huấn kỹ năng số cho Tổ công nghệ số"), ("06/05/2025", "Phát thanh về VNeID")):
        create_activity(db, {"date_from": day, "unit_id": commune.id, "form_code": "tap_huan", "title": title,
                             "quantity": "1"})  # fmt: skip
    db.path = path
    yield db
    db.close()


def _stick(folder: Path):
    folder.mkdir(exist_ok=True)
    return lambda: [Drive(folder, "USB (E:) — KINGSTON", 7 * 2**30, 8 * 2**30, "vfat", True)]


def _unknown_communes_package(qtbot, tmp_path, name: str, messages):
    """A commune the district does not know writes its year's package: (the stick, its unit)."""
    path = tmp_path / "xa_la" / "so.db"
    path.parent.mkdir()
    db = open_db(path)
    unit = create_unit(db, name=name, level="xa")
    settings.save_profile(db, settings.Profile(unit_id=unit.id, officer_name="Hồ Văn Bình"))
    create_activity(db, {"date_from": "05/05/2025", "unit_id": unit.id, "form_code": "mxh", "title": "Đăng tin",
                         "quantity": "1"})  # fmt: skip
    usb = tmp_path / "usb"
    _export_year(qtbot, db, path, _stick(usb), messages).export()
    db.close()
    return usb, unit


def _export_year(qtbot, db, path: Path, drives, messages) -> PackageExportDialog:
    dialog = PackageExportDialog(db, path, list_drives=drives, today=dt.date(2025, 12, 20))
    qtbot.addWidget(dialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData("nam"))
    dialog.year.setValue(2025)
    return dialog


def test_export_dialog_writes_the_package_onto_the_stick(qtbot, commune_db, tmp_path, messages):
    usb = tmp_path / "usb"
    dialog = _export_year(qtbot, commune_db, commune_db.path, _stick(usb), messages)
    assert "2 hoạt động" in dialog.summary.text() and "Xã Hải Phú" in dialog.summary.text()
    assert dialog.places.currentItem().text().startswith("USB (E:) — KINGSTON — còn trống 7 GB")
    ok = dialog.buttons.button(QDialogButtonBox.Ok)
    assert ok.isEnabled() and ok.text() == "Xuất ra USB"
    dialog.export()
    written = usb / "BaoCao_XaHaiPhu_nam_2025.cdsx"
    assert dialog.result is not None and dialog.result.path == written and written.is_file()
    assert messages[-1][1] == "Đã xuất xong" and "đã đọc lại để kiểm tra" in messages[-1][2]
    assert [p.name for p in usb.iterdir()] == [written.name]  # no temporary file left


def test_export_dialog_without_a_stick_asks_for_one_or_a_folder(qtbot, commune_db, tmp_path, messages):
    dialog = _export_year(qtbot, commune_db, commune_db.path, lambda: [], messages)
    ok = dialog.buttons.button(QDialogButtonBox.Ok)
    assert not ok.isEnabled()
    assert dialog.places.item(0).text().startswith("Chưa thấy ổ USB nào") and not dialog.places.item(0).flags()
    dialog.add_folder(tmp_path)
    assert ok.isEnabled() and dialog.target() == tmp_path


def test_export_dialog_says_why_when_the_stick_is_gone(qtbot, commune_db, tmp_path, messages):
    usb = tmp_path / "usb"
    dialog = _export_year(qtbot, commune_db, commune_db.path, _stick(usb), messages)
    usb.rmdir()  # pulled out after the list was made
    dialog.export()
    assert dialog.result is None
    assert messages[-1][:2] == ("warning", "Chưa xuất được") and "ổ USB có thể đã bị rút ra" in messages[-1][2]


def test_receive_dialog_previews_merges_and_the_report_page_shows_who_sent(qtbot, window, profile_db, db_path,
                                                                           commune_db, tmp_path, messages):  # fmt: skip
    usb = tmp_path / "usb"
    _export_year(qtbot, commune_db, commune_db.path, _stick(usb), messages).export()
    (usb / "hong.cdsx").write_bytes(b"PK\x03\x04 not really a package")
    before = profile_db.execute("SELECT count(*) FROM activities").fetchone()[0]

    dialog = PackageReceiveDialog(profile_db, db_path, list_drives=_stick(usb))
    qtbot.addWidget(dialog)
    dialog.use_sticks()
    rows = {dialog.table.item(r, 0).text(): r for r in range(dialog.table.rowCount())}
    good, bad = rows["BaoCao_XaHaiPhu_nam_2025.cdsx"], rows["hong.cdsx"]
    assert [dialog.table.item(good, c).text() for c in (1, 3, 4, 5)] == ["Xã Hải Phú", "2", "0", "0"]
    assert dialog.table.item(bad, 8).text().startswith("Không nhận: Tệp “hong.cdsx”")
    assert dialog.table.item(bad, 0).foreground().color().name() == "#b00020"
    assert "1 gói nhận được" in dialog.summary.text() and "1 gói không nhận được" in dialog.summary.text()
    assert profile_db.execute("SELECT count(*) FROM activities").fetchone()[0] == before  # the preview wrote nothing

    dialog.merge()
    assert dialog.result is not None and dialog.result.new == 2
    assert messages[-1][1] == "Đã nhận dữ liệu" and "2 hoạt động mới" in messages[-1][2]
    assert profile_db.execute("SELECT count(*) FROM activities").fetchone()[0] == before + 2

    report_page = window.reports
    report = store.create_report(profile_db, periods.period_for("nam", 2025))
    report_page.reload(select=report.id)  # the page shows the chosen report's period
    assert not report_page.submissions.isHidden()
    assert report_page.submissions_heading.text().startswith("<b>Đơn vị trực thuộc đã nộp dữ liệu Năm 2025: 1/1")
    lines = [report_page.submissions.item(i).text() for i in range(report_page.submissions.count())]
    assert len(lines) == 1 and lines[0].startswith("Xã Hải Phú — Nộp muộn lúc ")  # received now, due 01/12/2025



def test_receive_dialog_refuses_an_unknown_unit_until_new_units_are_accepted(qtbot, profile_db, db_path, tmp_path,
                                                                            messages):  # fmt: skip
    usb = _unknown_communes_package(qtbot, tmp_path, "Xã Hải Sơn", messages)[0]
    dialog = PackageReceiveDialog(profile_db, db_path)
    qtbot.addWidget(dialog)
    dialog.set_paths([usb])
    assert dialog.table.rowCount() == 1 and "chưa có trong danh sách đơn vị trực thuộc" in dialog.table.item(0, 8).text()
    assert not dialog.buttons.button(QDialogButtonBox.Ok).isEnabled()
    dialog.accept_new.setChecked(True)  # checks again
    assert dialog.table.item(0, 1).text() == "Xã Hải Sơn" and dialog.table.item(0, 8).text() == "Đơn vị mới: Xã Hải Sơn"
    assert dialog.buttons.button(QDialogButtonBox.Ok).isEnabled()


def test_receive_dialog_maps_a_merged_commune_to_a_unit_here(qtbot, profile_db, db_path, tmp_path, messages):
    usb, unit = _unknown_communes_package(qtbot, tmp_path, "Xã Hải Thọ", messages)  # merged into Xã Hải Phú in 2025
    dialog = PackageReceiveDialog(profile_db, db_path)
    qtbot.addWidget(dialog)
    dialog.set_paths([usb])
    assert not dialog.map_button.isEnabled()
    dialog.table.setCurrentCell(0, 0)  # the refused package
    assert dialog.map_button.isEnabled() and dialog.selected_new_unit() == (unit.id, "Xã Hải Thọ")
    commune = profile_db.units[1]
    dialog.map_selected(commune.id)  # what the officer picks in "Ghép vào đơn vị đã có…"
    assert dialog.found.refused == [] and dialog.table.item(0, 1).text() == "Xã Hải Thọ"
    dialog.merge()
    assert dialog.result.new == 1
    assert profile_db.execute("SELECT unit_id FROM activities WHERE title = 'Đăng tin'").fetchone()[0] == commune.id
