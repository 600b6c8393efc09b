"""Tệp → Tạo dữ liệu mẫu: try the app on realistic data, with progress and cancel."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEventLoop
from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget

from core.demo import generate
from core.text import format_number
from gui.tasks import DbTask


def run_demo(parent: QWidget, db_path: Path, count: int | None = None) -> bool:
    """Ask how many, generate in the background; True if activities were added."""
    if count is None:
        count, ok = QInputDialog.getInt(
            parent, "Tạo dữ liệu mẫu",
            "Số hoạt động mẫu cần tạo (dữ liệu mẫu được đánh dấu “mẫu”):", 500, 1, 2_000_000, 100,
        )  # fmt: skip
        if not ok:
            return False
    task = DbTask(parent, db_path, lambda db, progress: generate(db, activities=count, progress=progress),
                  "Đang tạo dữ liệu mẫu…")  # fmt: skip
    loop = QEventLoop()
    outcome = {"ok": False}

    def done(created):
        outcome["ok"] = True
        loop.quit()
        QMessageBox.information(parent, "Xong", f"Đã tạo {format_number(created)} hoạt động mẫu.")

    def failed(message, details):
        loop.quit()
        box = QMessageBox(QMessageBox.Warning, "Không tạo được dữ liệu mẫu", message, parent=parent)
        if details:
            box.setDetailedText(details)
        box.exec()

    def cancelled():
        loop.quit()
        QMessageBox.information(parent, "Đã hủy", "Đã hủy; không có dữ liệu mẫu nào được thêm.")

    task.succeeded.connect(done)
    task.failed.connect(failed)
    task.cancelled.connect(cancelled)
    task.start()
    loop.exec()
    return outcome["ok"]
