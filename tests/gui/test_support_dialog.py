"""Lưu để gửi hỗ trợ: the log (and, when ticked, a copy of the data) on a stick; a failure says so."""

from __future__ import annotations

from gui.support_dialog import SupportDialog


def _logs(db_path):
    folder = db_path.parent / "nhat_ky"
    folder.mkdir(exist_ok=True)
    (folder / "so_tuyen_truyen.log").write_text("lỗi lúc 10:00\n", encoding="utf-8")


def test_the_log_alone_unless_the_data_is_ticked(qtbot, db, db_path, tmp_path, messages):
    _logs(db_path)
    usb = tmp_path / "usb"
    usb.mkdir()
    dialog = SupportDialog(db_path, db, list_drives=lambda: [])
    qtbot.addWidget(dialog)
    assert not dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()  # nowhere chosen yet
    dialog.picker.add_folder(usb)
    assert not dialog.with_data.isChecked()  # the data goes only when the officer asks
    dialog.save()
    assert sorted(p.name for p in dialog.saved.iterdir()) == ["so_tuyen_truyen.log"]
    assert messages[-1][:2] == ("information", "Đã lưu") and dialog.result() == dialog.DialogCode.Accepted


def test_a_place_that_cannot_be_written_is_said_and_the_dialog_stays(qtbot, db, db_path, tmp_path, messages):
    _logs(db_path)
    not_a_folder = tmp_path / "tep"
    not_a_folder.write_text("x")
    dialog = SupportDialog(db_path, db, list_drives=lambda: [])
    qtbot.addWidget(dialog)
    dialog.picker.add_folder(not_a_folder)
    dialog.with_data.setChecked(True)
    dialog.save()
    assert dialog.saved is None and dialog.result() == 0
    assert messages[-1][:2] == ("warning", "Chưa lưu được") and "Hãy thử ổ USB khác" in messages[-1][2]
