"""Draw the app's icon with QPainter and write app.png (256 px) and app.ico (16, 32, 48, 256 px).

    QT_QPA_PLATFORM=offscreen python resources/icons/make_icon.py

A rounded blue square, a white sheet of paper with lines of text, a small megaphone in its
corner and "CĐS" under it. The small sizes are drawn on their own (fewer details, thicker
strokes), not scaled down from the big one, so they stay sharp in the task bar. The .ico holds
PNG images (Windows Vista and later read them), written by hand: no image plugin is needed.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt  # noqa: E402
from PySide6.QtGui import (  # noqa: E402
    QBrush, QColor, QFont, QGuiApplication, QImage, QLinearGradient, QPainter, QPainterPath, QPen, QPolygonF,
)  # fmt: skip

HERE = Path(__file__).resolve().parent
ICO_SIZES = (16, 32, 48, 256)
BLUE_TOP, BLUE_BOTTOM = QColor("#1f74d6"), QColor("#0b4a9e")
WHITE, ACCENT, ACCENT_DARK = QColor("#ffffff"), QColor("#f5a623"), QColor("#d9830f")


def draw(size: int) -> QImage:
    """The icon at ``size`` × ``size`` pixels, drawn on a 256-unit canvas."""
    image = QImage(size, size, QImage.Format_ARGB32_Premultiplied)
    image.fill(Qt.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.Antialiasing)
    p.setRenderHint(QPainter.TextAntialiasing)
    p.scale(size / 256, size / 256)
    small = size < 40

    # the rounded blue square
    gradient = QLinearGradient(0, 0, 0, 256)
    gradient.setColorAt(0, BLUE_TOP)
    gradient.setColorAt(1, BLUE_BOTTOM)
    p.setPen(Qt.NoPen)
    p.setBrush(QBrush(gradient))
    margin = 4 if small else 8
    p.drawRoundedRect(QRectF(margin, margin, 256 - 2 * margin, 256 - 2 * margin), 52, 52)

    # the sheet of paper with a folded corner
    left, top, right, bottom, fold = (46, 30, 210, 230, 44) if small else (58, 26, 198, 170, 36)
    sheet = QPainterPath()
    sheet.moveTo(left, top)
    sheet.lineTo(right - fold, top)
    sheet.lineTo(right, top + fold)
    sheet.lineTo(right, bottom)
    sheet.lineTo(left, bottom)
    sheet.closeSubpath()
    p.setBrush(WHITE)
    p.drawPath(sheet)
    p.setBrush(QColor("#c9dcf5"))
    p.drawPolygon(QPolygonF([QPointF(right - fold, top), QPointF(right, top + fold), QPointF(right - fold, top + fold)]))

    # lines of text on the sheet
    pen = QPen(QColor("#9bb8e0"), 22 if small else 10, Qt.SolidLine, Qt.RoundCap)
    p.setPen(pen)
    rows = (84, 130, 176) if small else (64, 88, 112)
    for n, y in enumerate(rows):
        end = right - (28 if n else fold + 16) if not small else right - 30 - (40 if n == len(rows) - 1 else 0)
        p.drawLine(QPointF(left + (28 if small else 20), y), QPointF(end, y))

    # a megaphone over the lower right corner of the sheet
    p.save()
    p.translate(160, 146) if not small else p.translate(168, 176)
    p.rotate(-18)
    scale = 1.25 if small else 1.0
    p.scale(scale, scale)
    p.setPen(Qt.NoPen)
    p.setBrush(ACCENT)
    horn = QPolygonF([QPointF(-34, -12), QPointF(20, -40), QPointF(20, 40), QPointF(-34, 12)])
    p.drawPolygon(horn)
    p.drawRoundedRect(QRectF(-52, -14, 22, 28), 6, 6)
    p.setBrush(ACCENT_DARK)
    p.drawRoundedRect(QRectF(14, -42, 12, 84), 6, 6)
    if not small:  # sound waves
        p.setBrush(Qt.NoBrush)
        p.setPen(QPen(WHITE, 7, Qt.SolidLine, Qt.RoundCap))
        p.drawArc(QRectF(18, -26, 40, 52), -50 * 16, 100 * 16)
        p.drawArc(QRectF(22, -42, 60, 84), -45 * 16, 90 * 16)
    p.restore()

    # "CĐS" under the sheet (only where there is room to read it)
    if not small:
        font = QFont("DejaVu Sans")
        font.setStyleHint(QFont.SansSerif)
        font.setBold(True)
        font.setPixelSize(58)
        p.setFont(font)
        p.setPen(WHITE)
        p.drawText(QRectF(0, 176, 256, 66), Qt.AlignHCenter | Qt.AlignVCenter, "CĐS")
    p.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise RuntimeError("could not encode PNG")
    buffer.close()
    return bytes(data)


def ico_bytes(images: dict[int, bytes]) -> bytes:
    """An ICO container of PNG entries: ICONDIR, one ICONDIRENTRY per size, then the PNG data."""
    header = struct.pack("<HHH", 0, 1, len(images))
    entries, blobs = b"", b""
    offset = 6 + 16 * len(images)
    for size, png in sorted(images.items()):
        side = 0 if size >= 256 else size  # 0 means 256 in an ICONDIRENTRY
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset + len(blobs))
        blobs += png
    return header + entries + blobs


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # fonts need an application
    images = {size: png_bytes(draw(size)) for size in ICO_SIZES}
    (HERE / "app.png").write_bytes(images[256])
    (HERE / "app.ico").write_bytes(ico_bytes(images))
    print(f"Đã ghi {HERE / 'app.png'} và {HERE / 'app.ico'} ({', '.join(map(str, ICO_SIZES))} px)")
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
