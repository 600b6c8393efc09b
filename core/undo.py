"""Hoàn tác / Làm lại: the last actions in the log, undone and redone (Ctrl+Z, Ctrl+Y).

Each step knows how to undo and redo itself through the same service functions the
officer's actions use, so every undo is itself checked, written in one transaction
and kept in the history. An added or imported activity is undone into the trash
(Thùng rác), never destroyed; an edit is undone to the values and evidence files before it
(a removed file's copy stays in the data folder until the next start for that).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sqlite_utils

from core.activities import service
from core.activities.repository import get_activity
from core.text import format_number

Work = Callable[[sqlite_utils.Database], object]


@dataclass
class Step:
    text: str  # what the officer did: "Xóa 3 hoạt động"
    undo: Work
    redo: Work


@dataclass(frozen=True)
class ActivityState:
    """What Hoàn tác of an edit puts back: the values and the evidence files."""

    values: dict
    evidence: tuple


def _state(db: sqlite_utils.Database, activity_id: int) -> ActivityState:
    activity = get_activity(db, activity_id)
    values = service.values_of(activity) | {"target_ids": service.target_ids_of(db, activity_id)}
    return ActivityState(values, tuple(activity.evidence))


def values_before_edit(db: sqlite_utils.Database, activity_id: int) -> ActivityState:
    """Take before opening the edit dialog: what Hoàn tác puts back."""
    return _state(db, activity_id)


def added(activity_id: int, text: str = "Thêm hoạt động") -> Step:
    return Step(text, lambda db: service.delete_activities(db, [activity_id]),
                lambda db: service.restore_activities(db, [activity_id]))  # fmt: skip


def edited(db: sqlite_utils.Database, activity_id: int, before: ActivityState) -> Step:
    after = _state(db, activity_id)
    return Step("Sửa hoạt động", lambda db: service.put_back(db, activity_id, before.values, list(before.evidence)),
                lambda db: service.put_back(db, activity_id, after.values, list(after.evidence)))  # fmt: skip


def deleted(ids: list[int]) -> Step:
    ids = list(ids)
    text = "Xóa hoạt động" if len(ids) == 1 else f"Xóa {format_number(len(ids))} hoạt động"
    return Step(text, lambda db: service.restore_activities(db, ids), lambda db: service.delete_activities(db, ids))


def imported(ids: list[int]) -> Step:
    ids = list(ids)
    return Step(f"Nhập {format_number(len(ids))} hoạt động từ Excel", lambda db: service.delete_activities(db, ids),
                lambda db: service.restore_activities(db, ids))  # fmt: skip


class UndoStack:
    """The steps of this session, newest last; ``index`` steps are done, the rest were undone."""

    def __init__(self, limit: int = 50):
        self.steps: list[Step] = []
        self.index = 0
        self.limit = limit

    def clear(self) -> None:
        """Forget every step (what they would undo is gone)."""
        self.steps.clear()
        self.index = 0

    def push(self, step: Step) -> None:
        del self.steps[self.index :]  # a new action forgets what was undone
        self.steps.append(step)
        self.steps = self.steps[-self.limit :]
        self.index = len(self.steps)

    @property
    def undo_text(self) -> str:
        return self.steps[self.index - 1].text if self.index else ""

    @property
    def redo_text(self) -> str:
        return self.steps[self.index].text if self.index < len(self.steps) else ""

    def undo(self, db: sqlite_utils.Database) -> str:
        """Undo the last step done; returns its text. Raises what the service raises (nothing changed then)."""
        step = self.steps[self.index - 1]
        step.undo(db)
        self.index -= 1
        return step.text

    def redo(self, db: sqlite_utils.Database) -> str:
        step = self.steps[self.index]
        step.redo(db)
        self.index += 1
        return step.text
