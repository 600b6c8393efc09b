"""Watching the window's data file: when its folder is deleted, renamed or unplugged while the app
runs, the officer is told at once and the data still held open is written back to disk."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QMessageBox

from core import file_guard
from core.errors import UserError
from gui import instance_lock

CHECK_EVERY_MS = 2000


class DataFileWatch(QObject):
    """Every few seconds, a ``stat`` of the window's database path (see core/file_guard.py)."""

    def __init__(self, window, interval_ms: int = CHECK_EVERY_MS):
        super().__init__(window)
        self.window = window
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.check)
        self.timer.start()

    def pause(self) -> None:
        """While the app itself replaces the file (restoring a backup)."""
        self.timer.stop()

    def resume(self) -> None:
        self.timer.start()

    def check(self) -> bool:
        """True when the file was found gone (the officer has then been asked what to do)."""
        if not file_guard.is_gone(self.window.db_path):
            return False
        self.timer.stop()
        logging.getLogger("so_tuyen_truyen").error("data file gone while open: %s", self.window.db_path)
        self.offer_rescue()
        return True

    def offer_rescue(self) -> None:
        window, path = self.window, Path(self.window.db_path)
        editor = window.reports.editor
        if editor is not None and editor.dirty:
            editor.save_now()  # into the data still open, so it is part of what is written back
        text = (f"Tệp dữ liệu “{path.name}” không còn ở thư mục “{path.parent}” (thư mục đã bị xóa, đổi tên, "
                "hoặc ổ đĩa bị rút ra) trong khi phần mềm đang mở.\n\n"
                "Dữ liệu vẫn còn trong phần mềm. Hãy ghi lại ngay, trước khi đóng phần mềm, kẻo mất những gì "
                "đã nhập. Tệp minh chứng nằm trong thư mục bị xóa (nếu có) cần lấy lại từ Thùng rác của máy.")  # fmt: skip
        while True:
            box = QMessageBox(QMessageBox.Critical, "Tệp dữ liệu không còn ở chỗ cũ", text, parent=window)
            back = box.addButton("Ghi lại vào chỗ cũ", QMessageBox.AcceptRole)
            box.addButton("Chọn nơi khác…", QMessageBox.ActionRole)
            box.setDefaultButton(back)
            box.exec()
            if box.clickedButton() is back:
                target = self._try(lambda: file_guard.rescue(window.db, path))
            else:
                from gui.file_dialogs import choose_folder

                folder = choose_folder(window, "Chọn thư mục để ghi lại dữ liệu")
                target = self._try(lambda: file_guard.rescue_to_folder(window.db, path, folder)) if folder else None
            if target is not None:
                break
        QMessageBox.information(window, "Đã ghi lại dữ liệu",
                                f"Đã ghi lại dữ liệu vào “{target}”. Phần mềm sẽ mở lại với tệp này.")  # fmt: skip
        instance_lock.release(path)
        window.db_path = Path(target)
        window.restart()

    def _try(self, write) -> Path | None:
        try:
            return write()
        except UserError as exc:
            QMessageBox.warning(self.window, "Chưa ghi lại được", exc.message + "\nHãy thử nơi khác (ví dụ ổ USB).")
            return None
