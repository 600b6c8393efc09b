"""Evidence files attached in the dialog: copied on save, openable, removable."""

from __future__ import annotations

from core.activities import repository
from core.activities.evidence import evidence_file
from core.activities.filters import ActivityFilter
from gui import activity_dialog
from gui.activity_dialog import ActivityDialog


def test_attach_save_open_and_remove(qtbot, profile_db, tmp_path, monkeypatch):
    photo = tmp_path / "ảnh hội nghị.jpg"
    photo.write_bytes(b"\xff\xd8 fake jpeg")
    monkeypatch.setattr(activity_dialog, "choose_files_to_open", lambda *a: [str(photo)])
    opened = []
    monkeypatch.setattr(activity_dialog.QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()))

    activity_id = repository.ordered_ids(profile_db, ActivityFilter(search="hoi nghi"))[0]
    dialog = ActivityDialog(profile_db, activity=repository.get_activity(profile_db, activity_id))
    qtbot.addWidget(dialog)
    dialog._add_files()
    assert dialog.evidence.item(0).text() == "ảnh hội nghị.jpg (chưa lưu)"
    dialog.save()
    saved = repository.get_activity(profile_db, activity_id)
    assert [e.file_name for e in saved.evidence] == ["ảnh hội nghị.jpg"]
    stored = evidence_file(profile_db, saved.evidence[0].id)
    assert stored.read_bytes() == photo.read_bytes() and stored != photo

    again = ActivityDialog(profile_db, activity=saved)
    qtbot.addWidget(again)
    again.evidence.setCurrentRow(0)
    again._open_evidence()
    assert opened == [str(stored)]
    again._remove_evidence()
    again.save()
    assert repository.get_activity(profile_db, activity_id).evidence == []
    assert stored.exists()  # kept for Hoàn tác until the app starts again
    from gui.app import forget_removed_evidence

    forget_removed_evidence(profile_db)
    assert not stored.exists()


def test_missing_source_file_is_reported_and_activity_unchanged(qtbot, profile_db, tmp_path, monkeypatch):
    warnings = []
    monkeypatch.setattr(activity_dialog.QMessageBox, "warning", lambda *a: warnings.append(a[2]))
    activity_id = repository.ordered_ids(profile_db, ActivityFilter(search="vneid"))[0]
    dialog = ActivityDialog(profile_db, activity=repository.get_activity(profile_db, activity_id))
    qtbot.addWidget(dialog)
    dialog.pending_files.append(tmp_path / "da_xoa.jpg")
    dialog.title.setText("Tiêu đề mới")
    dialog.save()
    assert dialog.saved is None
    assert warnings == ["Không tìm thấy tệp “da_xoa.jpg”."]
    assert repository.get_activity(profile_db, activity_id).title == "Đăng bài hướng dẫn cài VNeID"
