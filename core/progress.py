"""A small progress record shared by long work and whoever shows it.

The worker updates it and calls ``check()`` often; the window reads it on a
timer and sets ``cancel_requested`` when the officer presses "Hủy". The worker
then raises Cancelled and its transaction rolls back.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from core.errors import UserError


class Cancelled(UserError):
    def __init__(self):
        super().__init__("Đã hủy theo yêu cầu; dữ liệu được giữ nguyên như trước.")


@dataclass
class Progress:
    label: str = ""
    done: int = 0
    total: int = 0
    _cancel: threading.Event = field(default_factory=threading.Event, repr=False)

    def update(self, done: int, total: int | None = None, label: str | None = None) -> None:
        self.done = done
        if total is not None:
            self.total = total
        if label is not None:
            self.label = label
        self.check()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancel_requested(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        if self._cancel.is_set():
            raise Cancelled()
