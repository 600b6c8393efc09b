"""Screenshots of the real windows for the user guide (resources/help/images/).

Builds a temporary database with demo data (a commune, last year's and this year's activities, a plan,
two reports, backups, USB packages), opens the app's own windows and dialogs on it, grabs each one and
writes a PNG. Nothing outside the temporary folder and the output folder is touched: the window
layout settings go to Qt's test location under a name of their own.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/make_screenshots.py [OUT_DIR]

Run it again after changing a window, and commit the PNGs with the change.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_OUT = ROOT / "resources" / "help" / "images"

# name -> what it shows (the guide's pages and the README show them)
IMAGES = {
    "chao_mung.png": "Màn hình Chào mừng khi mở phần mềm lần đầu",
    "thiet_lap.png": "Hộp thoại thiết lập đơn vị (lần đầu)",
    "tong_quan.png": "Cửa sổ chính, trang Tổng quan",
    "menu_tep.png": "Cửa sổ chính với menu Tệp đang mở",
    "so_hoat_dong.png": "Trang Sổ hoạt động, một hoạt động được chọn",
    "tim_kiem.png": "Sổ hoạt động: tìm kiếm “vneid” và lọc theo hình thức",
    "them_hoat_dong.png": "Hộp thoại Thêm hoạt động đã điền",
    "thung_rac.png": "Hộp thoại Thùng rác",
    "nhap_excel_chon_tep.png": "Nhập từ Excel, bước 1: chọn tệp",
    "nhap_excel_cot.png": "Nhập từ Excel, bước 2: kiểm tra các cột",
    "nhap_excel_kiem_tra.png": "Nhập từ Excel, bước 3: xem trước và lỗi",
    "bao_cao.png": "Trang Báo cáo với một bản nháp",
    "bao_cao_da_chot.png": "Trang Báo cáo, báo cáo đã chốt",
    "xuat_usb.png": "Hộp thoại Xuất dữ liệu ra USB",
    "nhan_du_lieu.png": "Hộp thoại Nhận dữ liệu với hai gói đã kiểm tra",
    "sao_luu_usb.png": "Hộp thoại Sao lưu ra USB",
    "khoi_phuc.png": "Hộp thoại Khôi phục dữ liệu từ bản sao lưu",
    "gioi_thieu.png": "Hộp thoại Giới thiệu",
    "huong_dan.png": "Cửa sổ Hướng dẫn sử dụng",
}

MAIN_SIZE = (1100, 700)  # the main window as grabbed
MAX_WIDTH = 820  # wider grabs are scaled down to this (the help window shows them unscaled)
TITLE_BAR = 30  # a plain title bar drawn above each grab (offscreen windows have no frame)

# (name, official code) from the 2025 list of units (core/admin_units.py)
COMMUNE = ("Xã Hải Lăng", "19702")  # the officer's own
NEIGHBOURS = (("Xã Bến Hải", "19501"), ("Xã Nam Hải Lăng", "19735"))
PROVINCE = ("Tỉnh Quảng Trị", "44")  # receives the communes' packages
OFFICER = "Nguyễn Thị Hoa"
# what an officer's Windows laptop shows instead of this run's temporary folder
WINDOWS_DATA = r"C:\Users\Hoa\AppData\Roaming\so-tuyen-truyen-cds"
WINDOWS_SHEET = r"C:\Users\Hoa\Documents\theo_doi_hoat_dong.xlsx"


@dataclass
class Shot:
    path: Path
    width: int
    height: int


# --- Qt helpers ---------------------------------------------------------------------------------


def wait_until(condition, timeout: float = 15.0) -> None:
    from PySide6.QtWidgets import QApplication

    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the window did not finish loading")
        QApplication.processEvents()
        time.sleep(0.01)


def settle(ms: int = 60) -> None:
    """Let queued layouts, paints and background results arrive."""
    from PySide6.QtWidgets import QApplication

    end = time.monotonic() + ms / 1000
    while time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.005)


def framed(pixmap, title: str):
    """The grab under a simple title bar (title, minimise/maximise/close marks) and a thin border."""
    from PySide6.QtCore import QRect, Qt
    from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPen
    from PySide6.QtWidgets import QApplication

    width, height = pixmap.width(), pixmap.height() + TITLE_BAR
    image = QImage(width + 2, height + 2, QImage.Format_RGB32)
    image.fill(QColor("#8c8c8c"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.Antialiasing)
    painter.setRenderHint(QPainter.TextAntialiasing)
    painter.fillRect(1, 1, width, TITLE_BAR, QColor("#f3f3f3"))
    font = QFont(painter.font())
    font.setPointSizeF(9.5)
    painter.setFont(font)
    painter.setPen(QColor("#202020"))
    left = 12
    icon = QApplication.windowIcon()
    if not icon.isNull():
        painter.drawPixmap(10, 1 + (TITLE_BAR - 16) // 2, icon.pixmap(16, 16))
        left = 34
    painter.drawText(QRect(left, 1, width - 150, TITLE_BAR), Qt.AlignVCenter | Qt.AlignLeft, title)
    pen = QPen(QColor("#404040"))
    pen.setWidthF(1.1)
    painter.setPen(pen)
    middle = 1 + TITLE_BAR // 2
    right = width - 16
    painter.drawLine(right - 5, middle - 5, right + 5, middle + 5)  # ✕
    painter.drawLine(right - 5, middle + 5, right + 5, middle - 5)
    painter.drawRect(right - 52, middle - 5, 10, 10)  # □
    painter.drawLine(right - 98, middle, right - 88, middle)  # –
    painter.drawPixmap(1, 1 + TITLE_BAR, pixmap)
    painter.end()
    return image


def palette_of(image):
    """The image with the 256 colours it uses most (a screenshot has few: the text's edges, the widgets),
    each other pixel given the nearest of them; about a third of the file size, the text as sharp."""
    import collections

    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage

    image = image.convertToFormat(QImage.Format_RGB32)
    counts = collections.Counter(memoryview(bytes(image.constBits())).cast("I"))
    table = [colour | 0xFF000000 for colour, _ in counts.most_common(256)]
    return image.convertToFormat(QImage.Format_Indexed8, table, Qt.ThresholdDither | Qt.AvoidDither)


def save(image, path: Path) -> Shot:
    from PySide6.QtCore import Qt

    if image.width() > MAX_WIDTH:
        image = image.scaledToWidth(MAX_WIDTH, Qt.SmoothTransformation)
    image = palette_of(image)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(path), "PNG", 9):
        raise OSError(f"cannot write {path}")
    return Shot(path, image.width(), image.height())


def grab(widget, path: Path, title: str | None = None, *, size: tuple[int, int] | None = None) -> Shot:
    if size is not None:
        widget.resize(*size)
    widget.show()
    widget.raise_()
    settle()
    pixmap = widget.grab()
    return save(framed(pixmap, title if title is not None else widget.windowTitle()), path)


def with_menu(window, menu, path: Path, active=None) -> Shot:
    """The window with one of its menus open below its title in the menu bar (``active`` highlighted)."""
    from PySide6.QtGui import QPainter

    bar = window.menuBar()
    action = menu.menuAction()
    window.show()
    settle()
    menu.popup(bar.mapToGlobal(bar.actionGeometry(action).bottomLeft()))
    settle(120)
    if active is not None:
        menu.setActiveAction(active)
        settle()
    base = window.grab()
    painter = QPainter(base)
    spot = bar.mapTo(window, bar.actionGeometry(action).bottomLeft())
    painter.drawPixmap(spot, menu.grab())
    painter.end()
    menu.hide()
    return save(framed(base, window.windowTitle()), path)


# --- demo data ----------------------------------------------------------------------------------


def make_database(db_path: Path, activities: int, today: dt.date):
    """A commune (the profile) with demo activities over last year and this one, and a plan."""
    from core import settings
    from core.activities.model import ORIGIN_DEMO, ORIGIN_TYPED
    from core.db import open_db
    from core.demo import DEMO_KEY, generate
    from core.units import create_unit

    db = open_db(db_path)
    commune = create_unit(db, name=COMMUNE[0], level="xa", official_code=COMMUNE[1], unit_id=f"xa-{COMMUNE[1]}")
    settings.save_profile(db, settings.Profile(
        unit_id=commune.id, officer_name=OFFICER, officer_title="Công chức Văn hóa - Xã hội",
        province="Quảng Trị", recipients=["Sở Khoa học và Công nghệ", "Sở Văn hóa, Thể thao và Du lịch"],
    ))  # fmt: skip
    generate(db, activities=activities, years=[today.year - 1, today.year], seed=7, today=today)
    # shown as the officer's own log: no "[Mẫu]" before the titles, no yellow demo bar
    db.execute("UPDATE activities SET origin = ? WHERE origin = ?", [ORIGIN_TYPED, ORIGIN_DEMO])
    db.execute("DELETE FROM settings WHERE key = ?", [DEMO_KEY])
    return db, commune


def add_own_activities(db, unit_id: str, folder: Path, today: dt.date, meeting: dt.date) -> list[int]:
    """A few hand-written activities (with evidence files), then three of them deleted (Thùng rác);
    ``meeting``: the day of a conference with its photo and plan, inside the exported period."""
    from PySide6.QtGui import QColor, QImage

    from core.activities import service

    photo = folder / "anh_hoi_nghi.png"
    image = QImage(64, 48, QImage.Format_RGB32)
    image.fill(QColor("#6a9bd1"))
    image.save(str(photo))
    plan = folder / "ke_hoach_tuyen_truyen.pdf"
    plan.write_bytes(b"%PDF-1.4\n% demo\n")
    day = lambda n: (today - dt.timedelta(days=n)).strftime("%d/%m/%Y")  # noqa: E731
    made = []
    for n, form, title, topics, qty, people, cost, extra in (
        (2, "truc_tiep", "Tổ công nghệ số cộng đồng hướng dẫn người dân cài đặt VNeID tại nhà văn hóa thôn 3",
         ["de_an_06", "dich_vu_cong"], "2", "85", "", []),
        (4, "mxh", "Đăng bài hướng dẫn kích hoạt tài khoản định danh điện tử VNeID trên trang Facebook của xã",
         ["de_an_06"], "1", "2.350", "", []),
        ((today - meeting).days, "hoi_nghi", "Hội nghị sơ kết công tác chuyển đổi số 6 tháng đầu năm",
         ["chinh_quyen_so"], "1", "120", "8.500.000", [plan, photo]),
        (9, "phat_thanh", "Phát thanh chuyên mục “Chuyển đổi số” trên đài truyền thanh xã",
         ["ky_nang_so"], "4", "", "400.000", []),
        (12, "mxh", "Chia sẻ video cảnh báo lừa đảo qua mạng trên nhóm Zalo của thôn",
         ["an_toan_thong_tin"], "1", "900", "", []),
        (13, "pano", "Treo băng rôn hưởng ứng Ngày Chuyển đổi số quốc gia 10/10",
         ["khac"], "6", "", "1.200.000", []),
        (15, "tin_bai", "Tin bài: Thanh toán không dùng tiền mặt tại chợ xã",
         ["thanh_toan_so"], "1", "640", "", []),
    ):  # fmt: skip
        values = {"date_from": day(n), "unit_id": unit_id, "form_code": form, "title": title, "topics": topics,
                  "quantity": qty, "participants": people, "cost": cost,
                  "funding_code": "ns_xa" if cost else None, "channel": ""}  # fmt: skip
        made.append(service.save_activity(db, None, values, add_files=extra).id)
    service.delete_activities(db, made[-3:])  # three mistakes, in the trash
    return made


def messy_sheet(path: Path, year: int) -> Path:
    """An officer's own log: a title row, the header on row 3, text dates, a bad row and a totals row."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = f"Năm {year}"
    ws["A1"] = f"BẢNG THEO DÕI HOẠT ĐỘNG TUYÊN TRUYỀN CHUYỂN ĐỔI SỐ NĂM {year}"
    ws.merge_cells("A1:G1")
    ws.append([])
    ws.append(["STT", "Ngày thực hiện", "Tên hoạt động", "Hình thức", "Số lượng", "Người tham dự",
               "Kinh phí (đồng)"])  # fmt: skip
    rows = [
        (f"05/03/{year}", "Hội nghị triển khai chuyển đổi số", "Hội nghị", 1, 80, "1.500.000"),
        (f"06/03/{year}", "Đăng tin hướng dẫn cài đặt VNeID", "Đăng Facebook", 3, 1200, None),
        (f"07/03/{year}", "Phát thanh chuyên mục chuyển đổi số", "Phát thanh", 2, None, "500.000"),
        (f"12/03/{year}", "Tập huấn kỹ năng số cho Tổ công nghệ số cộng đồng", "Tập huấn", 1, 35, "3.000.000"),
        (f"31/02/{year}", "Hướng dẫn người dân nộp hồ sơ trực tuyến", "Trực tiếp", 1, 40, None),
        (f"09/03/{year}", "Múa lân cổ động Ngày Chuyển đổi số", "Múa lân", 1, 300, None),
    ]
    for number, row in enumerate(rows, 1):
        ws.append([number, *row])
    ws.append([None, None, "Tổng cộng", None, 9, None, "5.000.000"])
    wb.save(path)
    return path


def make_backups(db, db_path: Path, today: dt.date) -> None:
    """Daily copies of the last days and one taken before receiving data, with believable times."""
    from core import backup

    for days, hour in ((6, 7), (5, 7), (4, 8), (3, 7), (1, 7), (0, 7)):
        day = today - dt.timedelta(days=days)
        path = backup.daily_backup(db, day)
        stamp = dt.datetime.combine(day, dt.time(hour, 42 - 3 * days)).timestamp()
        os.utime(path, (stamp, stamp))
    before = backup.backup_before(db, "nhan-du-lieu")
    stamp = dt.datetime.combine(today - dt.timedelta(days=2), dt.time(15, 20)).timestamp()
    os.utime(before, (stamp, stamp))


def commune_packages(main_db, folder: Path, usb: Path, period) -> Path:
    """The province's database, and on a stick the packages two of its communes sent (the first is ours)."""
    from core import settings
    from core.activities.service import create_activity
    from core.db import open_db
    from core.package.export import export_package
    from core.units import create_unit

    usb.mkdir(parents=True, exist_ok=True)
    export_package(main_db, period, usb)
    name, code = NEIGHBOURS[0]
    other_path = folder / "xa_ben" / "so_tuyen_truyen.db"
    other_path.parent.mkdir(parents=True)
    other = open_db(other_path)
    try:
        unit = create_unit(other, name=name, level="xa", official_code=code, unit_id=f"xa-{code}")
        settings.save_profile(other, settings.Profile(unit_id=unit.id, officer_name="Lê Văn Tâm"))
        for month in range(1, 6):
            day = max(period.start, dt.date(period.year, month, 10)).strftime("%d/%m/%Y")
            create_activity(other, {"date_from": day, "unit_id": unit.id, "form_code": "phat_thanh",
                                    "title": "Phát thanh về chuyển đổi số", "quantity": "4"})  # fmt: skip
        export_package(other, period, usb)
    finally:
        other.close()
    province_path = folder / "tinh" / "so_tuyen_truyen.db"
    province_path.parent.mkdir(parents=True)
    province = open_db(province_path)
    try:
        top = create_unit(province, name=PROVINCE[0], level="tinh", official_code=PROVINCE[1],
                          unit_id=f"tinh-{PROVINCE[1]}")  # fmt: skip
        for name, code in (COMMUNE, *NEIGHBOURS):
            create_unit(province, name=name, level="xa", parent_id=top.id, official_code=code, unit_id=f"xa-{code}")
        settings.save_profile(province, settings.Profile(unit_id=top.id, officer_name="Trần Văn Minh"))
    finally:
        province.close()
    return province_path


# --- the screenshots ----------------------------------------------------------------------------


def report_periods(today: dt.date):
    """The 6-month report to finalise and the yearly report left as a draft (both with data by now)."""
    from core import periods

    half = today.year if today >= dt.date(today.year, 6, 15) else today.year - 1
    year = today.year if today.month >= 9 else today.year - 1
    return periods.period_for("6thang", half, rules="nd09"), periods.period_for("nam", year, rules="nd09")


def first_start(out: Path, work: Path) -> list[Shot]:
    """The welcome screen and the setup dialog, on a new empty database."""
    from core.db import open_db
    from gui.setup_dialog import SetupDialog
    from gui.welcome_dialog import WelcomeDialog

    shots = []
    welcome = WelcomeDialog()
    shots.append(grab(welcome, out / "chao_mung.png"))
    welcome.done(0)
    welcome.deleteLater()
    (work / "moi").mkdir()
    db = open_db(work / "moi" / "so_tuyen_truyen.db")
    try:
        setup = SetupDialog(db, first_run=True)
        setup.province.setCurrentIndex(max(0, setup.province.findText("Quảng Trị")))
        setup.unit_name.suggest("hai lang")  # as typed; then the name picked from the suggestions
        setup.unit_name.choose(COMMUNE[0])  # fills in the official code and the parent agency
        setup.officer_name.setText(OFFICER)
        setup.officer_title.setText("Công chức Văn hóa - Xã hội")
        setup.recipient.setCurrentText("Sở Khoa học và Công nghệ")
        shots.append(grab(setup, out / "thiet_lap.png"))
        setup.done(0)
        setup.deleteLater()
    finally:
        db.close()
    return shots


def take_all(out: Path, work: Path, activities: int) -> list[Shot]:
    from PySide6.QtCore import Qt, QThreadPool
    from PySide6.QtWidgets import QApplication, QListWidgetItem

    from core import settings
    from core.db import open_db
    from core.package.drives import Drive
    from core.paths import reports_dir
    from core.reports import export, store

    shots = first_start(out, work)
    today = dt.date.today()
    db_path = work / "so_tuyen_truyen.db"
    db, commune = make_database(db_path, activities, today)
    window = None
    try:
        half, year = report_periods(today)
        add_own_activities(db, commune.id, work, today, meeting=half.end - dt.timedelta(days=12))
        settings.put(db, "report_signature_last", {"authority": "TM. ỦY BAN NHÂN DÂN", "title_lines": ["CHỦ TỊCH"],
                                                   "signer": "Phan Văn Đức"})  # fmt: skip
        final = store.create_report(db, half, today=min(today, half.end + dt.timedelta(days=5)))
        files = reports_dir(db_path)
        files.mkdir(exist_ok=True)
        export.finalise(db, final.id, files)
        draft = store.create_report(db, year, today=today)
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the file's size is the data's size
        make_backups(db, db_path, today)
        stick = [Drive(work / "usb", "USB (E:) — KINGSTON", 14 * 2**30 + 2**29, 16 * 2**30, "FAT32", True)]
        province_path = commune_packages(db, work, work / "usb", half)

        # --- the main window: overview, the Tệp menu, the log, a search ------------------------------
        from gui.main_window import MainWindow

        window = MainWindow(db, db_path)
        window.resize(*MAIN_SIZE)
        window.show()
        wait_until(lambda: not window.loading and not window.home.loading)
        settle(200)
        shots.append(grab(window, out / "tong_quan.png"))
        shots.append(with_menu(window, window.menuBar().actions()[0].menu(), out / "menu_tep.png",
                               active=window.import_action))  # fmt: skip

        window.pages.setCurrentWidget(window.log_page)
        for column, width in enumerate((82, 90, 190, 420, 70, 90)):  # the first columns, the title in full
            window.table.setColumnWidth(column, width)
        wait_until(lambda: not window.loading)
        window.table.selectRow(1)
        window.table.setFocus()
        shots.append(grab(window, out / "so_hoat_dong.png"))
        window.filters.search.setText("vneid")
        window.filters.form.setCurrentIndex(window.filters.form.findData("mxh"))
        window.filters.emit_changed()
        wait_until(lambda: not window.loading)
        window.table.clearSelection()
        shots.append(grab(window, out / "tim_kiem.png"))
        window.filters.search.clear()
        window.filters.form.setCurrentIndex(0)
        window.filters.emit_changed()
        wait_until(lambda: not window.loading)

        # --- an activity being typed, the trash ------------------------------------------------------
        from gui.activity_dialog import ActivityDialog

        dialog = ActivityDialog(db, window, default_unit=commune.id)
        dialog.form.setCurrentIndex(dialog.form.findData("tap_huan"))
        dialog.title.setText("Tập huấn kỹ năng số cho Tổ công nghệ số cộng đồng các thôn")
        for row in range(dialog.topics.count()):
            item = dialog.topics.item(row)
            if item.data(Qt.UserRole) in ("ky_nang_so", "dich_vu_cong"):
                item.setCheckState(Qt.Checked)
        dialog.content.setPlainText("Hướng dẫn cài đặt VNeID, nộp hồ sơ trên Cổng dịch vụ công quốc gia "
                                    "và nhận diện tin nhắn lừa đảo.")  # fmt: skip
        dialog.channel.setCurrentText("Trực tiếp tại cơ sở")
        dialog.quantity.setText("1")
        dialog.duration.setText("180")
        dialog.participants.setText("42")
        dialog.cost.setText("3.500.000")
        dialog.funding.setCurrentIndex(dialog.funding.findData("ns_xa"))
        dialog.evidence.addItem(QListWidgetItem("anh_tap_huan.jpg (chưa lưu)"))
        shots.append(grab(dialog, out / "them_hoat_dong.png"))
        dialog.done(0)  # closed without saving, and without asking

        from gui.trash_dialog import TrashDialog

        trash = TrashDialog(db, window)
        trash.table.setColumnWidth(2, 150)
        trash.table.selectRow(0)
        shots.append(grab(trash, out / "thung_rac.png", size=(820, 330)))
        trash.done(0)

        # --- Nhập từ Excel: the three steps ------------------------------------------------------------
        from gui.import_wizard import ImportWizard

        sheet = messy_sheet(work / "theo_doi_hoat_dong.xlsx", today.year)
        wizard = ImportWizard(db, db_path, window)
        wizard.resize(820, 600)
        wizard.show()
        wizard.file_page.path_edit.setText(str(sheet))
        wizard.file_page.load_sheets()
        wizard.file_page.path_edit.setText(WINDOWS_SHEET)  # shown; the real path is put back to read it
        wizard.file_page.path_edit.setCursorPosition(0)
        shots.append(grab(wizard, out / "nhap_excel_chon_tep.png"))
        wizard.file_page.path_edit.setText(str(sheet))
        wizard.next()
        wait_until(lambda: wizard.currentPage() is wizard.columns_page)
        page = wizard.columns_page
        page.funding.setCurrentIndex(page.funding.findData("ns_xa"))
        shots.append(grab(wizard, out / "nhap_excel_cot.png"))
        wizard.next()
        wait_until(lambda: wizard.currentPage() is wizard.review_page)
        shots.append(grab(wizard, out / "nhap_excel_kiem_tra.png"))
        wizard.done(0)  # nothing imported
        wizard.deleteLater()

        # --- the report page: a draft, then the finalised report ---------------------------------------
        window.pages.setCurrentWidget(window.reports)
        window.reports.reload(select=draft.id)
        sections = window.reports.editor.sections
        results = next(i for i in range(sections.count()) if sections.tabText(i).startswith("II"))
        sections.setCurrentIndex(results)  # II. Kết quả: the text drafted from the log
        settle(150)
        shots.append(grab(window, out / "bao_cao.png"))
        window.reports.reload(select=final.id)
        settle(150)
        shots.append(grab(window, out / "bao_cao_da_chot.png"))
        window.pages.setCurrentWidget(window.home)

        # --- USB: a commune's export, the province receiving two packages -------------------------------
        from gui.package_export_dialog import PackageExportDialog

        export_dialog = PackageExportDialog(db, db_path, window, today=today, list_drives=lambda: stick)
        export_dialog.kind.setCurrentIndex(export_dialog.kind.findData(half.kind))
        export_dialog.year.setValue(half.year)
        export_dialog.evidence.setChecked(True)
        shots.append(grab(export_dialog, out / "xuat_usb.png", size=(600, 430)))
        export_dialog.done(0)

        from gui.package_receive_dialog import PackageReceiveDialog

        province = open_db(province_path)
        try:
            receive = PackageReceiveDialog(province, province_path, window, list_drives=lambda: stick)
            receive.resize(820, 380)
            receive.use_sticks()
            shots.append(grab(receive, out / "nhan_du_lieu.png"))
            receive.done(0)
            receive.deleteLater()
            settle()
        finally:
            province.close()

        # --- backups, restore, about -------------------------------------------------------------------
        from gui.backup_dialogs import RestoreDialog, UsbBackupDialog

        usb_backup = UsbBackupDialog(db, db_path, window, list_drives=lambda: stick)
        shots.append(grab(usb_backup, out / "sao_luu_usb.png", size=(560, 330)))
        usb_backup.done(0)
        restore = RestoreDialog(db_path, window)
        shots.append(grab(restore, out / "khoi_phuc.png", size=(640, 380)))
        restore.done(0)

        from gui.about_dialog import AboutDialog

        about = AboutDialog(db_path, window)
        wait_until(lambda: not about.loading)
        about.folder_label.setText(WINDOWS_DATA)
        shots.append(grab(about, out / "gioi_thieu.png"))
        about.done(0)

        from gui.help_window import show_help

        guide = show_help(window)  # at its usual size: the pictures fit without scrolling sideways
        shots.append(grab(guide, out / "huong_dan.png", size=(1180, 780)))
        guide.close()
        QApplication.processEvents()
        return shots
    finally:
        if window is not None:
            window.hide()
            pool = getattr(window.home, "_pool", None)  # the overview's own workers
            if pool is not None:
                pool.waitForDone(10_000)
            window.data_watch.timer.stop()
            window.deleteLater()
        QThreadPool.globalInstance().waitForDone(10_000)
        settle(50)
        db.close()


def main(out_dir: Path | str | None = None, *, activities: int = 2500) -> list[Shot]:
    """Write every screenshot of IMAGES into ``out_dir`` (default: resources/help/images)."""
    from PySide6.QtCore import QCoreApplication, QSettings, QStandardPaths
    from PySide6.QtGui import QFont, QIcon
    from PySide6.QtWidgets import QApplication

    from core import APP_NAME
    from core.resources import resource_path
    from gui.qt_vietnamese import install_vietnamese

    out = Path(out_dir) if out_dir is not None else DEFAULT_OUT
    app = QApplication.instance() or QApplication([sys.argv[0]])
    saved = (app.applicationName(), app.organizationName(), QFont(app.font()), QStandardPaths.isTestModeEnabled(),
             app.windowIcon())
    QStandardPaths.setTestModeEnabled(True)  # the window layout is neither read from nor written to the user's
    app.setApplicationName(APP_NAME)
    app.setOrganizationName("so-tuyen-truyen-cds-anh-chup")
    QSettings().clear()
    install_vietnamese(app)
    font = QFont("Liberation Sans")  # metrics of Arial: close to what officers see on Windows
    font.setPointSizeF(9)
    app.setFont(font)
    icon = resource_path("icons/app.png")
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))
    try:
        with tempfile.TemporaryDirectory(prefix="anh_chup_") as tmp:
            shots = take_all(out, Path(tmp), activities)
    finally:
        QSettings().clear()
        app.setApplicationName(saved[0])
        QCoreApplication.setOrganizationName(saved[1])
        app.setFont(saved[2])
        QStandardPaths.setTestModeEnabled(saved[3])
        app.setWindowIcon(saved[4])
    missing = set(IMAGES) - {s.path.name for s in shots}
    if missing:
        raise RuntimeError(f"screenshots not taken: {sorted(missing)}")
    return shots


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else None
    total = 0
    for shot in main(target):
        size = shot.path.stat().st_size
        total += size
        print(f"{shot.path.name:28} {shot.width:4}×{shot.height:<4} {size / 1024:6.1f} KB")
    print(f"{'':28} {'':9} {total / 1024:6.1f} KB in all")
