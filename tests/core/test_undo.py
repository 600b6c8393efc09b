"""Hoàn tác / Làm lại: each step undoes and redoes itself through the services, in order."""

from __future__ import annotations

import pytest

from core import undo
from core.activities.repository import get_activity
from core.activities.service import create_activity, delete_activities, empty_trash, update_activity, values_of
from core.errors import UserError
from core.units import create_unit


@pytest.fixture
def unit(db):
    return create_unit(db, name="Xã Hải Phú", level="xa")


def _new(db, unit, title: str) -> int:
    return create_activity(db, {"date_from": "05/03/2025", "unit_id": unit.id, "form_code": "mxh", "title": title,
                                "quantity": "1"}).id  # fmt: skip


def _live(db) -> list[str]:
    return sorted(r[0] for r in db.execute("SELECT title FROM activities WHERE deleted_at IS NULL"))


def test_add_edit_delete_undone_and_redone_in_order(db, unit):
    stack = undo.UndoStack()
    first = _new(db, unit, "Một")
    stack.push(undo.added(first))
    before = undo.values_before_edit(db, first)
    update_activity(db, first, values_of(get_activity(db, first)) | {"title": "Một (sửa)", "quantity": 4})
    stack.push(undo.edited(db, first, before))
    second = _new(db, unit, "Hai")
    stack.push(undo.added(second))
    delete_activities(db, [first, second])
    stack.push(undo.deleted([first, second]))
    assert stack.undo_text == "Xóa 2 hoạt động" and stack.redo_text == ""
    assert stack.undo(db) == "Xóa 2 hoạt động" and _live(db) == ["Hai", "Một (sửa)"]
    assert stack.undo(db) == "Thêm hoạt động" and _live(db) == ["Một (sửa)"]  # undone into the trash
    assert stack.undo(db) == "Sửa hoạt động" and _live(db) == ["Một"]
    assert get_activity(db, first).quantity == 1
    assert stack.redo(db) == "Sửa hoạt động" and _live(db) == ["Một (sửa)"]
    assert stack.redo_text == "Thêm hoạt động"
    third = _new(db, unit, "Ba")  # a new action forgets what was undone
    stack.push(undo.added(third))
    assert stack.redo_text == "" and stack.undo_text == "Thêm hoạt động"


def test_an_import_is_undone_into_the_trash(db, unit):
    ids = [_new(db, unit, f"Nhập {n}") for n in range(3)]
    stack = undo.UndoStack()
    stack.push(undo.imported(ids))
    assert stack.undo_text == "Nhập 3 hoạt động từ Excel"
    stack.undo(db)
    assert _live(db) == []
    stack.redo(db)
    assert len(_live(db)) == 3


def test_an_undo_that_cannot_be_done_changes_nothing_and_stays(db, unit):
    stack = undo.UndoStack()
    first = _new(db, unit, "Một")
    before = undo.values_before_edit(db, first)
    update_activity(db, first, values_of(get_activity(db, first)) | {"title": "Sửa"})
    stack.push(undo.edited(db, first, before))
    delete_activities(db, [first])
    empty_trash(db)  # gone for good
    with pytest.raises(UserError):
        stack.undo(db)
    assert stack.undo_text == "Sửa hoạt động"  # still there to try again


def test_the_stack_keeps_the_last_steps_only(db, unit):
    stack = undo.UndoStack(limit=2)
    for n in range(4):
        stack.push(undo.added(_new(db, unit, f"{n}")))
    assert len(stack.steps) == 2 and stack.index == 2


def test_an_edit_of_the_evidence_files_is_undone_and_redone(db, unit, tmp_path):
    from core.activities.evidence import forget_unused_files
    from core.activities.service import save_activity

    photo, minutes = tmp_path / "ảnh hội nghị.jpg", tmp_path / "biên bản.pdf"
    photo.write_bytes(b"photo")
    minutes.write_bytes(b"minutes")
    first = _new(db, unit, "Một")
    activity = save_activity(db, first, values_of(get_activity(db, first)), add_files=[photo])
    stack = undo.UndoStack()
    before = undo.values_before_edit(db, first)
    save_activity(db, first, values_of(activity) | {"title": "Một (sửa)"}, add_files=[minutes],
                  remove_evidence_ids=[activity.evidence[0].id])  # fmt: skip
    stack.push(undo.edited(db, first, before))

    def files() -> tuple[str, list[str]]:
        now = get_activity(db, first)
        return now.title, sorted(e.file_name for e in now.evidence)

    assert files() == ("Một (sửa)", ["biên bản.pdf"])
    stack.undo(db)
    assert files() == ("Một", ["ảnh hội nghị.jpg"])
    stack.redo(db)
    assert files() == ("Một (sửa)", ["biên bản.pdf"])
    forget_unused_files(db)  # the next start: the photo's copy, used by nothing, goes
    with pytest.raises(UserError, match="ảnh hội nghị.jpg"):
        stack.undo(db)
    assert files() == ("Một (sửa)", ["biên bản.pdf"]) and stack.undo_text == "Sửa hoạt động"
