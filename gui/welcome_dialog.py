"""The first start: set up my unit, try the app on demo data, restore a backup, or receive a package."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QCommandLinkButton, QDialog, QDialogButtonBox, QLabel, QMessageBox, QVBoxLayout

from core import APP_NAME, settings

SETUP, DEMO, RESTORE, PACKAGE = "setup", "demo", "restore", "package"
DEMO_ACTIVITIES = 2000


class WelcomeDialog(QDialog):
    """``choice`` is one of SETUP, DEMO, RESTORE, PACKAGE once a button was pressed."""

    CHOICES = (
        (SETUP, "Thiết lập đơn vị của tôi",
         "Nhập tên xã (phường, huyện…), cán bộ phụ trách và nơi nhận báo cáo. Chọn cách này khi bắt đầu dùng thật."),
        (DEMO, "Dùng thử với dữ liệu mẫu",
         "Tạo một huyện, vài xã và khoảng 2.000 hoạt động mẫu để xem thử sổ, thống kê và báo cáo. "
         "Dữ liệu mẫu được đánh dấu rõ và xóa được bằng một nút."),
        (RESTORE, "Khôi phục từ bản sao lưu…",
         "Chuyển sang máy mới hoặc lấy lại dữ liệu cũ: chọn tệp sao lưu (.db, hoặc .cdsbak trên ổ USB)."),
        (PACKAGE, "Nhận gói dữ liệu (.cdsx)…",
         "Thiết lập đơn vị trước, rồi nhận gói dữ liệu của đơn vị mình hoặc của các đơn vị cấp dưới gửi lên."),
    )  # fmt: skip

    def __init__(self, parent=None):
        super().__init__(parent)
        self.choice: str | None = None
        self.setWindowTitle(f"Chào mừng — {APP_NAME}")
        self.setMinimumWidth(600)
        layout = QVBoxLayout(self)
        intro = QLabel(f"<h2>Chào mừng đến với {APP_NAME}</h2>"
                       "<p>Phần mềm giúp ghi sổ các hoạt động tuyên truyền chuyển đổi số, theo dõi kế hoạch và chỉ "
                       "tiêu, lập báo cáo đúng mẫu để in và ký, rồi gửi dữ liệu lên cấp trên bằng ổ USB. "
                       "Mọi dữ liệu nằm trên máy này, không cần mạng.</p><p>Bắt đầu bằng một trong các cách sau:</p>")  # fmt: skip
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.buttons: dict[str, QCommandLinkButton] = {}
        for choice, title, description in self.CHOICES:
            button = QCommandLinkButton(title, description)
            button.clicked.connect(lambda _checked=False, c=choice: self._choose(c))
            layout.addWidget(button)
            self.buttons[choice] = button
        layout.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.Close)
        close.button(QDialogButtonBox.Close).setText("Thoát")
        close.rejected.connect(self.reject)
        layout.addWidget(close)

    def _choose(self, choice: str) -> None:
        self.choice = choice
        self.accept()


def first_start(db, db_path: Path, parent=None):
    """Until the app has a unit: the welcome screen and what was chosen there.

    Returns (database, then) — the database to open the window on (a restore reopens it) and
    PACKAGE when the window should open "Nhận dữ liệu" at once — or (None, None) to quit.
    """
    while settings.load_profile(db) is None:
        welcome = WelcomeDialog(parent)
        chosen = welcome.choice if welcome.exec() else None
        welcome.deleteLater()
        if chosen is None:
            return None, None
        if chosen in (SETUP, PACKAGE):
            from gui.setup_dialog import SetupDialog

            if SetupDialog(db, parent, first_run=True).exec():
                return db, chosen
        elif chosen == DEMO:
            from gui.demo_dialog import run_demo

            run_demo(parent, db_path, DEMO_ACTIVITIES)  # its own message says how it went
        elif chosen == RESTORE:
            db = restore_at_first_start(db, db_path, parent)
    return db, None


def restore_at_first_start(db, db_path: Path, parent=None):
    """Choose a backup and put it in place of the new, empty database; returns the database opened again."""
    from gui.backup_dialogs import replace_database
    from gui.file_dialogs import choose_files_to_open

    chosen = choose_files_to_open(parent, "Chọn tệp sao lưu", "Bản sao lưu (*.db *.cdsbak);;Mọi tệp (*)")
    if not chosen or not replace_database(parent, db, db_path, Path(chosen[0])):
        return db
    if settings.load_profile(db) is None:
        QMessageBox.information(parent, "Đã khôi phục", "Đã khôi phục, nhưng bản sao lưu chưa có thông tin đơn vị: "
                                "hãy thiết lập đơn vị.")  # fmt: skip
    else:
        QMessageBox.information(parent, "Đã khôi phục", f"Đã khôi phục dữ liệu từ “{Path(chosen[0]).name}”.")
    return db
