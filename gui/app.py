"""Starting the window: Vietnamese Qt, open the database (refusing what is not ours), setup."""

from __future__ import annotations

import argparse
import logging
import sys
import traceback
from pathlib import Path

from PySide6.QtCore import QEventLoop, QSettings, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog
from shiboken6 import isValid

from core import APP_NAME, APP_ORG, settings
from core.db import open_db
from core.errors import UserError, describe_unexpected
from core.logs import setup_logging
from core.paths import default_db_path, is_removable
from core.resources import resource_path
from gui import instance_lock
from gui.qt_vietnamese import install_vietnamese


def parse_gui_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--db", type=Path, default=None)
    args, _unknown = parser.parse_known_args(argv)
    return args


def create_app(argv: list[str]) -> QApplication:
    app = QApplication.instance() or QApplication([sys.argv[0], *argv])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_ORG)
    app.setWindowIcon(QIcon(str(resource_path("icons/app.png"))))  # every window's, and the task bar's
    QSettings.setDefaultFormat(QSettings.IniFormat)  # a readable file, not the Windows registry
    install_vietnamese(app)
    return app


def show_unexpected_error(exc_type, exc, tb) -> None:
    """sys.excepthook for the window: a Vietnamese message with "Chi tiết", and a log line."""
    details = "".join(traceback.format_exception(exc_type, exc, tb))
    logging.getLogger("so_tuyen_truyen").error("unexpected error:\n%s", details)
    if QApplication.instance() is None:
        sys.__excepthook__(exc_type, exc, tb)
        return
    message = exc.message if isinstance(exc, UserError) else describe_unexpected(exc)
    box = QMessageBox(QMessageBox.Critical, "Có lỗi", message)
    box.setDetailedText(details)
    save = box.addButton("Lưu để gửi hỗ trợ…", QMessageBox.ActionRole) if _support["db_path"] else None
    box.addButton(QMessageBox.Ok)
    box.exec()
    if save is not None and box.clickedButton() is save:
        save_for_support(box.parent(), _support["db_path"], _support["db"])


_support: dict = {"db_path": None, "db": None}  # the open database, for the error box's "Lưu để gửi hỗ trợ…"


def save_for_support(parent, db_path: Path, db) -> None:
    """The log files (and, if the officer agrees, a copy of the data) onto a USB stick or into a folder."""
    from gui.support_dialog import SupportDialog

    dialog = SupportDialog(db_path, db, parent)
    dialog.exec()
    dialog.deleteLater()


def open_database(path: Path, parent=None):
    """Open the database, asking before creating it on a removable drive; None if refused."""
    if not path.exists() and is_removable(path):
        answer = QMessageBox.warning(
            parent, "Ổ đĩa di động",
            f"Tệp dữ liệu sẽ được tạo trên ổ đĩa di động:\n{path}\n\n"
            "Rút ổ ra khi đang làm việc có thể làm mất dữ liệu. Vẫn tạo ở đây?",
            QMessageBox.Yes | QMessageBox.No, QMessageBox.No,
        )  # fmt: skip
        if answer != QMessageBox.Yes:
            return None
    try:
        return open_with_progress(path, parent)
    except UserError as exc:
        QMessageBox.critical(parent, "Không mở được dữ liệu", exc.message)
        return None


def open_with_progress(path: Path, parent=None):
    """open_db; a file from an older version is first copied, then upgraded, which on years of
    activities takes a while: off the window's thread, with a window saying what happens."""
    from core.db import check_file
    from core.migrations import SCHEMA_VERSION
    from gui.tasks import run_in_background

    if not 0 < check_file(path) < SCHEMA_VERSION:
        return open_db(path)
    dialog = QProgressDialog("Đang sao lưu rồi nâng cấp dữ liệu lên phiên bản mới…\n"
                             "Việc này chỉ làm một lần; xin đừng tắt máy.", None, 0, 0, parent)  # fmt: skip
    dialog.setWindowTitle(APP_NAME)
    dialog.setWindowModality(Qt.ApplicationModal)
    dialog.setMinimumDuration(400)
    outcome: dict = {}
    loop = QEventLoop()

    def finish(**result) -> None:
        outcome.update(result)
        loop.quit()

    run_in_background(lambda: open_db(path), on_done=lambda db: finish(db=db),
                      on_error=lambda exc, _details: finish(error=exc))  # fmt: skip
    loop.exec()
    dialog.close()
    dialog.deleteLater()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["db"]


def start_window(db_path: Path):
    """Open the database, run the first-start setup if needed, show the main window.

    Returns (window, exit code): the window is None when the app should stop.
    """
    in_use = instance_lock.acquire(db_path)
    if in_use:
        QMessageBox.information(None, "Dữ liệu đang được mở", in_use)
        return None, 1
    db = open_database(db_path)
    if db is None:
        instance_lock.release(db_path)
        return None, 1
    then = None
    if settings.load_profile(db) is None:  # the first start (or the demo data just removed)
        from gui.welcome_dialog import first_start

        opened, then = first_start(db, db_path)
        if opened is None:
            db.close()
            instance_lock.release(db_path)
            return None, 0
        db = opened
    forget_removed_evidence(db)
    from gui.main_window import MainWindow

    window = MainWindow(db, db_path)
    window.show()
    _support.update(db_path=db_path, db=db)
    start_daily_backup(window, db_path)
    if then == "package":
        window.receive_packages()
    return window, 0


def forget_removed_evidence(db) -> None:
    """Evidence copies removed in the last session were kept for Hoàn tác; now they go, with the
    temporary files of writes cut short (a power cut) in the data folder."""
    import sqlite3

    from core.activities.evidence import db_file, forget_unused_files
    from core.leftovers import remove_partial_files

    try:
        forget_unused_files(db)
        remove_partial_files(db_file(db))
    except (OSError, sqlite3.Error):  # a damaged file or a locked folder: tried again next start
        logging.getLogger("so_tuyen_truyen").warning("tidying the data folder failed", exc_info=True)


def start_daily_backup(window, db_path: Path) -> None:
    """Check the database and take today's copy (the first start of the day), off the window's thread;
    the status bar says how it went, and a damaged database is said plainly."""
    from core.backup import daily_backup
    from core.db import connect
    from gui.tasks import run_in_background

    def work():
        db = connect(db_path)
        try:
            if db.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                return "damaged"
            return daily_backup(db)
        finally:
            db.close()

    def done(result) -> None:
        if not isValid(window):  # closed before the copy was made: nothing to tell
            return
        if result == "damaged":
            from core.db import mark_damaged

            mark_damaged(db_path)  # every connection from now on only reads: nothing is written into it
            window.db.execute("PRAGMA query_only = ON")
            window.statusBar().showMessage("Tệp dữ liệu bị hỏng: chỉ xem, không ghi được cho đến khi khôi phục.")
            answer = QMessageBox.critical(window, "Dữ liệu bị hỏng", (
                f"Kiểm tra tệp dữ liệu “{db_path.name}” thấy có chỗ bị hỏng. Đừng nhập thêm dữ liệu; hãy khôi phục "
                "bản sao lưu gần nhất (dữ liệu hiện tại vẫn được giữ lại) hoặc nhờ hỗ trợ.\n\nKhôi phục ngay?"),
                QMessageBox.Yes | QMessageBox.No, QMessageBox.Yes)  # fmt: skip
            if answer == QMessageBox.Yes:
                window.restore_backup()
        elif result is not None:
            window.statusBar().showMessage(f"Đã sao lưu dữ liệu hôm nay: {result.name}", 8000)

    def failed(exc, details) -> None:
        logging.getLogger("so_tuyen_truyen").warning("daily backup failed: %s\n%s", exc, details)
        if not isValid(window):
            return
        message = exc.message if isinstance(exc, UserError) else str(exc)
        window.statusBar().showMessage(f"Chưa sao lưu được hôm nay: {message}", 15000)

    run_in_background(work, on_done=done, on_error=failed)  # gui/tasks.py keeps it alive until it reports


def configure_logging(db_path: Path) -> None:
    """Warnings on the console, the app's log file in the data folder (core/logs.py)."""
    logging.basicConfig(level=logging.WARNING)
    for handler in logging.getLogger().handlers:  # the console: warnings only (the log file takes more)
        handler.setLevel(logging.WARNING)
    setup_logging(db_path)


def run_gui(argv: list[str]) -> int:
    args = parse_gui_args(argv)
    configure_logging(args.db or default_db_path())
    app = create_app(argv)
    sys.excepthook = show_unexpected_error
    window, code = start_window(args.db or default_db_path())
    if window is None:
        return code
    return app.exec()
