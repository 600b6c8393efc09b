"""First start (and Cài đặt → Thông tin đơn vị): my unit, the officer, where reports go."""

from __future__ import annotations

import sqlite_utils
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QGroupBox, QLabel,
    QLineEdit, QMessageBox, QVBoxLayout,
)  # fmt: skip

from core import admin_units, settings, units
from core.errors import UserError, ValidationError
from core.resources import load_json
from gui.fields import FieldWithError
from gui.unit_name_edit import UnitNameEdit


class SetupDialog(QDialog):
    def __init__(self, db: sqlite_utils.Database, parent=None, *, first_run: bool = False):
        super().__init__(parent)
        self.db = db
        self.first_run = first_run
        self.setWindowTitle("Chào mừng — thiết lập đơn vị" if first_run else "Thông tin đơn vị và cán bộ")
        self.setMinimumWidth(560)

        self.province = QComboBox()
        self.province.addItem("— Chọn tỉnh, thành phố —", None)
        for p in admin_units.provinces():
            self.province.addItem(p.name, p.code)
        self.unit_name = UnitNameEdit()
        self.unit_name.unit_picked.connect(self._unit_picked)
        self.unit_name.textEdited.connect(lambda _text: self.code_note.setText(""))
        self.province.currentIndexChanged.connect(
            lambda _i: setattr(self.unit_name, "province_code", self.province.currentData())
        )
        self.level = QComboBox()
        for code, label in units.level_labels().items():
            self.level.addItem(label, code)
        self.level.setCurrentIndex(self.level.findData("xa"))
        self.parent_agency = QLineEdit()
        self.parent_agency.setPlaceholderText("Ví dụ: UBND TỈNH QUẢNG TRỊ (in phía trên tên cơ quan)")
        self.officer_name = QLineEdit()
        self.officer_title = QLineEdit()
        self.officer_title.setPlaceholderText("Ví dụ: Công chức Văn hóa - Xã hội")
        self.recipient = QComboBox()
        self.recipient.setEditable(True)
        self.recipient.addItems(load_json("presets.json")["recipients"])
        self.code_note = QLabel()
        self.code_note.setStyleSheet("color: #555;")

        self.wrapped = {
            "unit_name": FieldWithError(self.unit_name),
            "officer_name": FieldWithError(self.officer_name),
            "recipients": FieldWithError(self.recipient),
        }
        unit_box = QGroupBox("Đơn vị của tôi")
        unit_form = QFormLayout(unit_box)
        unit_form.addRow("Tỉnh, thành phố", self.province)
        unit_form.addRow("Tên đơn vị *", self.wrapped["unit_name"])
        unit_form.addRow("", self.code_note)
        unit_form.addRow("Cấp", self.level)
        unit_form.addRow("Cơ quan cấp trên", self.parent_agency)
        officer_box = QGroupBox("Cán bộ phụ trách")
        officer_form = QFormLayout(officer_box)
        officer_form.addRow("Họ và tên *", self.wrapped["officer_name"])
        officer_form.addRow("Chức vụ", self.officer_title)
        report_box = QGroupBox("Báo cáo")
        report_form = QFormLayout(report_box)
        report_form.addRow("Kính gửi *", self.wrapped["recipients"])

        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText("Bắt đầu sử dụng" if first_run else "Lưu")
        buttons.button(QDialogButtonBox.Cancel).setText("Thoát" if first_run else "Hủy")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        if first_run:
            intro = QLabel(
                "Xin chào! Hãy cho biết đơn vị của bạn. Thông tin này được dùng để ghi sổ "
                "và in lên báo cáo; có thể sửa lại bất cứ lúc nào trong Cài đặt."
            )
            intro.setWordWrap(True)
            layout.addWidget(intro)
        for box in (unit_box, officer_box, report_box):
            layout.addWidget(box)
        layout.addWidget(buttons)
        self._load()

    def _load(self) -> None:
        profile = settings.load_profile(self.db)
        if profile is None:
            return
        try:
            unit = units.get_unit(self.db, profile.unit_id)
        except UserError:
            unit = None
        if unit:
            self.unit_name.setText(unit.name)
            self.level.setCurrentIndex(max(0, self.level.findData(unit.level)))
            self.unit_name.setReadOnly(False)
        index = self.province.findText(profile.province)
        self.province.setCurrentIndex(max(0, index))
        self.parent_agency.setText(profile.parent_agency)
        self.officer_name.setText(profile.officer_name)
        self.officer_title.setText(profile.officer_title)
        if profile.recipients:
            self.recipient.setCurrentText(profile.recipients[0])

    def _unit_picked(self, match: admin_units.AdminUnit) -> None:
        self.level.setCurrentIndex(self.level.findData("xa"))
        province_index = self.province.findData(match.province_code)
        self.province.setCurrentIndex(province_index)
        self.code_note.setText(f"Mã đơn vị hành chính: {match.code}")
        if not self.parent_agency.text():
            province = self.province.itemText(province_index)
            if not province.startswith("Thành phố"):
                province = f"tỉnh {province}"
            self.parent_agency.setText(f"UBND {province}".upper())

    def save(self) -> None:
        picked = self.unit_name.official()
        try:
            settings.save_setup(
                self.db,
                unit_name=self.unit_name.text(),
                level=self.level.currentData(),
                official_code=picked.code if picked else None,
                unit_id=picked.unit_id if picked else None,
                officer_name=self.officer_name.text(),
                officer_title=self.officer_title.text(),
                province=self.province.currentText() if self.province.currentData() else "",
                parent_agency=self.parent_agency.text(),
                recipients=[self.recipient.currentText()],
            )
        except ValidationError as exc:
            for name, wrapper in self.wrapped.items():
                wrapper.show_error(exc.fields.get(name))
            return
        except UserError as exc:
            QMessageBox.warning(self, "Chưa lưu được", exc.message)
            return
        self.accept()
