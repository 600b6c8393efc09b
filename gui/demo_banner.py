"""A yellow bar over the window while demo data is in the database, with "Xóa dữ liệu mẫu…"."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QMessageBox, QPushButton

from core.demo_removal import demo_data, has_demo, remove_demo
from core.errors import UserError
from core.text import format_number


class DemoBanner(QFrame):
    def __init__(self, window):
        super().__init__()
        self.window = window
        self.setObjectName("demoBanner")
        self.setStyleSheet("#demoBanner { background: #fff4c2; border: 1px solid #e0c24f; border-radius: 3px; }")
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.remove_button = QPushButton("Xóa dữ liệu mẫu…")
        self.remove_button.clicked.connect(self.remove)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.remove_button)
        self.refresh()

    def refresh(self) -> None:
        shown = has_demo(self.window.db)  # cheap: the window starts without counting the log
        self.setVisible(shown)
        if shown:
            self.text.setText("<b>Đang có dữ liệu mẫu để dùng thử</b>: các hoạt động mẫu có “[Mẫu]” ở đầu tên. "
                              "Khi bắt đầu dùng thật, hãy xóa dữ liệu mẫu; những gì bạn tự nhập được giữ nguyên.")  # fmt: skip

    def remove(self) -> None:
        from core.backup import backup_before

        found = demo_data(self.window.db)
        parts = [f"{format_number(found.activities)} hoạt động mẫu"]
        if found.units:
            parts.append(f"{format_number(found.units)} đơn vị mẫu")
        if found.plans:
            parts.append("kế hoạch mẫu")
        answer = QMessageBox.question(self.window, "Xóa dữ liệu mẫu?", f"Xóa {', '.join(parts)}?\nNhững gì bạn tự "
                                      "nhập được giữ nguyên; một bản sao lưu được giữ trong thư mục sao_luu.",
                                      QMessageBox.Yes | QMessageBox.No, QMessageBox.No)  # fmt: skip
        if answer != QMessageBox.Yes:
            return
        try:
            backup_before(self.window.db, "xoa-du-lieu-mau")
            remove_demo(self.window.db)
        except UserError as exc:
            QMessageBox.warning(self.window, "Chưa xóa được", exc.message)
            return
        from core import settings

        if settings.load_profile(self.window.db) is None:  # the demo's own unit went: set up the real one
            QMessageBox.information(self.window, "Đã xóa dữ liệu mẫu",
                                    "Đã xóa dữ liệu mẫu. Phần mềm sẽ mở lại để thiết lập đơn vị của bạn.")  # fmt: skip
            self.window.restart()
            return
        self.window.undo_stack.clear()  # steps on activities that no longer exist
        self.window._update_undo()
        self.window.demo_changed()
        self.window.statusBar().showMessage("Đã xóa dữ liệu mẫu.", 8000)
