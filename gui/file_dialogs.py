"""File dialogs in Vietnamese on every system: Qt's own dialog, translated, not the OS one.

(The OS dialog speaks the language of Windows, which on many officers' laptops is English.)
"""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QWidget

from gui.qt_vietnamese import localize_file_dialog


def choose_files_to_open(parent: QWidget | None, title: str, name_filter: str) -> list[str]:
    dialog = QFileDialog(parent, title)
    dialog.setOption(QFileDialog.DontUseNativeDialog, True)
    dialog.setFileMode(QFileDialog.ExistingFiles)
    dialog.setNameFilter(name_filter)
    localize_file_dialog(dialog)
    return dialog.selectedFiles() if dialog.exec() else []


def choose_file_to_save(parent: QWidget | None, title: str, suggested: str, name_filter: str) -> str | None:
    dialog = QFileDialog(parent, title, suggested)
    dialog.setOption(QFileDialog.DontUseNativeDialog, True)
    dialog.setAcceptMode(QFileDialog.AcceptSave)
    dialog.setNameFilter(name_filter)
    localize_file_dialog(dialog)
    return dialog.selectedFiles()[0] if dialog.exec() and dialog.selectedFiles() else None


def choose_folder(parent: QWidget | None, title: str) -> str | None:
    dialog = QFileDialog(parent, title)
    dialog.setOption(QFileDialog.DontUseNativeDialog, True)
    dialog.setFileMode(QFileDialog.Directory)
    dialog.setOption(QFileDialog.ShowDirsOnly, True)
    localize_file_dialog(dialog)
    return dialog.selectedFiles()[0] if dialog.exec() and dialog.selectedFiles() else None
