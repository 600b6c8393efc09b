"""The main window's Tệp menu: Excel in and out, the USB exchange, backups and restore, support."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QMessageBox

from core import undo
from core.text import format_number
from gui import instance_lock


class FileActions:
    """Mixed into MainWindow (which has db, db_path, reports, statusBar, apply_filter, _data_changed)."""

    def import_excel(self) -> None:
        from gui.import_wizard import ImportWizard

        wizard = ImportWizard(self.db, self.db_path, self)
        accepted = wizard.exec() and wizard.imported is not None
        result = wizard.imported
        wizard.deleteLater()
        if accepted:
            if result.ids:
                self.remember(undo.imported(result.ids))
            self._data_changed()
            self.apply_filter()
            self.statusBar().showMessage(f"Đã nhập {format_number(result.imported)} hoạt động từ Excel.", 8000)

    def backup_to_usb(self) -> None:
        from gui.backup_dialogs import UsbBackupDialog

        dialog = UsbBackupDialog(self.db, self.db_path, self)
        if dialog.exec() and dialog.result is not None:
            self.statusBar().showMessage(f"Đã sao lưu vào {dialog.result.path}", 8000)
        dialog.deleteLater()

    def restore_backup(self) -> None:
        """Khôi phục: the database is closed, replaced (the current one kept in sao_luu), the app restarted."""
        from gui.backup_dialogs import RestoreDialog, replace_database

        dialog = RestoreDialog(self.db_path, self)
        chosen = dialog.chosen if dialog.exec() else None
        dialog.deleteLater()
        if chosen is None:
            return

        def before_closing() -> None:
            if self.reports.editor is not None and self.reports.editor.dirty:
                self.reports.editor.save_now()
            self.data_watch.pause()  # the file is about to be replaced on purpose

        if not replace_database(self, self.db, self.db_path, chosen, before_closing):
            self.data_watch.resume()
            return
        QMessageBox.information(self, "Đã khôi phục", "Đã khôi phục dữ liệu. Phần mềm sẽ mở lại.")
        self.restart()

    def restart(self) -> None:
        """Start the app again on the same database and close this window."""
        import sys

        from PySide6.QtCore import QProcess

        arguments = ([] if getattr(sys, "frozen", False) else [sys.argv[0]]) + ["--db", str(self.db_path)]
        instance_lock.release(self.db_path)
        QProcess.startDetached(sys.executable, arguments)
        QApplication.instance().quit()

    def save_for_support(self) -> None:
        from gui.app import save_for_support

        save_for_support(self, self.db_path, self.db)

    def export_package(self) -> None:
        from gui.package_export_dialog import PackageExportDialog

        dialog = PackageExportDialog(self.db, self.db_path, self)
        if dialog.exec() and dialog.result is not None:
            self.statusBar().showMessage(f"Đã xuất gói dữ liệu {dialog.result.path}", 8000)
        dialog.deleteLater()

    def receive_packages(self) -> None:
        from gui.package_receive_dialog import PackageReceiveDialog

        dialog = PackageReceiveDialog(self.db, self.db_path, self)
        if dialog.exec() and dialog.result is not None:
            self._data_changed()
            self.apply_filter()
            self.reports.reload()
            self.statusBar().showMessage(f"Đã nhận {format_number(dialog.result.packages)} gói dữ liệu.", 8000)
        dialog.deleteLater()

    def export_excel(self) -> None:
        from gui.import_wizard import export_log_to_excel

        done = export_log_to_excel(self, self.db_path, self.filters.current_filter())
        if done is not None:
            path, count = done
            self.statusBar().showMessage(f"Đã xuất {format_number(count)} hoạt động ra {path}", 8000)

    def save_import_template(self) -> None:
        from gui.import_wizard import save_import_template

        path = save_import_template(self, self.db)
        if path is not None:
            self.statusBar().showMessage(f"Đã lưu tệp mẫu nhập Excel: {path}", 8000)
