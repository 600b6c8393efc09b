"""Charts of the home screen, painted with QPainter (QtCharts is not part of PySide6-Essentials).

- ``MonthChart``: one group of two columns per month, this year beside last year, a legend;
- ``BarListChart``: horizontal bars, one row per item (a form, a unit), one or two series.

Both report a click on a bar (``bar_clicked``) and give the rectangle of each bar
(``bar_rect``) so tests can click exactly there. Data in, signals out: no database here.
"""

from __future__ import annotations

import math
from typing import NamedTuple

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from core.text import format_number

THIS_YEAR = QColor("#1f6fb2")
LAST_YEAR = QColor("#a9c3dd")
GRID = QColor("#e2e6eb")
AXIS_TEXT = QColor("#5f6b76")
TEXT = QColor("#1d2731")


def nice_scale(maximum: int, ticks: int = 4) -> tuple[int, int]:
    """(step, top) for an axis from 0 showing ``maximum``: steps of 1, 2 or 5 × 10ⁿ."""
    if maximum <= 0:
        return 1, ticks
    raw = maximum / ticks
    magnitude = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    step = next(m * magnitude for m in (1, 2, 5, 10) if raw <= m * magnitude)
    step = max(1, int(step))
    return step, step * math.ceil(maximum / step)


def _legend(painter: QPainter, fm: QFontMetrics, right: int, top: int, items: list[tuple[str, QColor]]) -> None:
    """Coloured squares with their labels, right-aligned at ``right``."""
    box = fm.height() - 4
    x = right
    for text, color in reversed(items):
        x -= fm.horizontalAdvance(text)
        painter.setPen(TEXT)
        painter.drawText(QRect(x, top, fm.horizontalAdvance(text) + 2, fm.height()), Qt.AlignLeft | Qt.AlignVCenter, text)
        x -= box + 6
        painter.fillRect(QRect(x, top + 2, box, box), color)
        x -= 18


class _BarChart(QWidget):
    """Hover, click and tooltips for a chart whose ``hit(point)`` names the bar under the mouse."""

    def hit(self, point: QPoint):
        raise NotImplementedError

    def _clickable(self, hit) -> bool:
        return True

    def _tooltip_key(self, hit):
        return hit

    def _bar_at(self, point: QPoint):
        hit = self.hit(point)
        return hit if hit is not None and self._clickable(hit) else None

    def mouseMoveEvent(self, event) -> None:  # noqa: N802 (Qt API)
        hover = self._bar_at(event.position().toPoint())
        if hover != self._hover:
            self._hover = hover
            self.setCursor(Qt.PointingHandCursor if hover else Qt.ArrowCursor)
            self.update()

    def leaveEvent(self, _event) -> None:  # noqa: N802 (Qt API)
        if self._hover is not None:
            self._hover = None
            self.update()

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 (Qt API)
        if event.button() == Qt.LeftButton:
            hit = self._bar_at(event.position().toPoint())
            if hit is not None:
                self.bar_clicked.emit(*hit)

    def event(self, event) -> bool:
        if event.type() == QEvent.ToolTip:
            hit = self.hit(event.pos())
            text = self.tooltips.get(self._tooltip_key(hit)) if hit else None
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)


class MonthChart(_BarChart):
    """Twelve months of this year (dark) beside the same months last year (light)."""

    bar_clicked = Signal(int, bool)  # month 1-12, last year's column

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setMouseTracking(True)
        self.setMinimumSize(420, 230)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Preferred)
        self.this_year = [0] * 12
        self.last_year = [0] * 12
        self.series_labels = ("", "")
        self.tooltips: dict[tuple[int, bool], str] = {}
        self.empty_text = ""
        self._hover: tuple[int, bool] | None = None

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return QSize(640, 260)

    def set_data(self, this_year: list[int], last_year: list[int], labels: tuple[str, str], *,
                 tooltips: dict[tuple[int, bool], str] | None = None, empty_text: str = "") -> None:  # fmt: skip
        self.this_year, self.last_year = list(this_year), list(last_year)
        self.series_labels = labels
        self.tooltips = tooltips or {}
        self.empty_text = empty_text
        self._hover = None
        self.update()

    # --- geometry ---------------------------------------------------------------------

    def _geometry(self) -> tuple[QRect, int, int]:
        """(plot area, axis step, axis top): computed once per paint or hit and passed down."""
        fm = self.fontMetrics()
        step, top = nice_scale(max(self.this_year + self.last_year + [0]))
        axis_width = max(fm.horizontalAdvance(format_number(v)) for v in range(0, top + 1, step)) + 10
        plot = QRect(axis_width + 4, fm.height() + 14, 0, 0)
        plot.setRight(self.width() - 8)
        plot.setBottom(self.height() - fm.height() - 10)
        return plot, step, top

    @staticmethod
    def _column(plot: QRect, month: int, last_year: bool) -> tuple[int, int]:
        """(left x, width) of a month's column (this year's on the right of the pair)."""
        group = plot.width() / 12
        width = max(3, int(group * 0.34))
        centre = plot.left() + group * (month - 0.5)
        left = int(centre - width - 1) if last_year else int(centre + 1)
        return left, width

    def bar_rect(self, month: int, last_year: bool = False) -> QRect:
        """The painted column of ``month`` (1-12); at least 1 pixel high."""
        plot, _step, top = self._geometry()
        return self._bar_rect(plot, top, month, last_year)

    def _bar_rect(self, plot: QRect, top: int, month: int, last_year: bool) -> QRect:
        value = (self.last_year if last_year else self.this_year)[month - 1]
        height = max(1, round(plot.height() * value / top)) if top else 1
        left, width = self._column(plot, month, last_year)
        return QRect(left, plot.bottom() - height + 1, width, height)

    def hit(self, point: QPoint) -> tuple[int, bool] | None:
        """The column under ``point``: its whole height counts, so short columns are easy to hit."""
        plot, _step, _top = self._geometry()
        if not (plot.top() <= point.y() <= plot.bottom() + 2):
            return None
        for month in range(1, 13):
            for last in (False, True):
                left, width = self._column(plot, month, last)
                if left - 1 <= point.x() <= left + width:
                    return month, last
        return None

    # --- painting -----------------------------------------------------------------------

    def paintEvent(self, _event) -> None:  # noqa: N802 (Qt API)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.Antialiasing, False)
        fm = self.fontMetrics()
        plot, step, top = self._geometry()
        painter.setPen(AXIS_TEXT)
        for value in range(0, top + 1, step):
            y = plot.bottom() - round(plot.height() * value / top)
            painter.setPen(QPen(GRID if value else AXIS_TEXT, 1))
            painter.drawLine(plot.left(), y, plot.right(), y)
            painter.setPen(AXIS_TEXT)
            painter.drawText(QRect(0, y - fm.height() // 2, plot.left() - 6, fm.height()),
                             Qt.AlignRight | Qt.AlignVCenter, format_number(value))  # fmt: skip
        group = plot.width() / 12
        for month in range(1, 13):
            for last in (True, False):
                if (self.last_year if last else self.this_year)[month - 1] <= 0:
                    continue
                color = QColor(LAST_YEAR if last else THIS_YEAR)
                if self._hover == (month, last):
                    color = color.darker(125)
                painter.fillRect(self._bar_rect(plot, top, month, last), color)
            label_rect = QRect(int(plot.left() + group * (month - 1)), plot.bottom() + 4, int(group), fm.height())
            painter.setPen(AXIS_TEXT)
            painter.drawText(label_rect, Qt.AlignCenter, f"T{month}")
        _legend(painter, fm, plot.right(), 2, [(self.series_labels[0], THIS_YEAR), (self.series_labels[1], LAST_YEAR)])
        if self.empty_text and not any(self.this_year + self.last_year):
            painter.setPen(AXIS_TEXT)
            painter.drawText(plot, Qt.AlignCenter | Qt.TextWordWrap, self.empty_text)
        painter.end()

    # --- mouse ------------------------------------------------------------------------

    def _clickable(self, hit: tuple[int, bool]) -> bool:
        return bool((self.last_year if hit[1] else self.this_year)[hit[0] - 1])  # an empty month is no bar


def _two_lines(fm: QFontMetrics, text: str, width: int, lines: int) -> list[str]:
    """``text`` wrapped at word boundaries into at most ``lines`` lines, the last one elided."""
    words, result = text.split(), []
    while words and len(result) < lines - 1:
        line = words.pop(0)
        while words and fm.horizontalAdvance(line + " " + words[0]) <= width:
            line += " " + words.pop(0)
        if fm.horizontalAdvance(line) > width:  # one word longer than the line
            result.append(fm.elidedText(line, Qt.ElideRight, width))
            continue
        result.append(line)
    if words:
        result.append(fm.elidedText(" ".join(words), Qt.ElideRight, width))
    return result


class _Layout(NamedTuple):
    """What every bar of a ``BarListChart`` needs, measured once for its rows, width and font."""

    width: int  # the widget's width it was measured for
    legend: int  # legend height
    row: int  # row height
    bar: int  # bar height
    lines: int  # label lines
    label_width: int
    start: int  # first bar x
    end: int  # last bar x
    maximum: int  # the largest value, at least 1
    index: dict[str, int]  # row key -> index of its (first) row


class BarListChart(_BarChart):
    """Rows of horizontal bars: a label on the left, one bar per series, the figure after it."""

    bar_clicked = Signal(str, int)  # row key, series index

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Fixed)
        self.rows: list[tuple[str, str, tuple[int, ...]]] = []  # (key, label, one value per series)
        self.series: list[tuple[str, QColor]] = []
        self.tooltips: dict[str, str] = {}
        self.empty_text = ""
        self._hover: tuple[str, int] | None = None
        self._cached_layout: _Layout | None = None
        self.setMinimumWidth(360)
        self._resize()

    # --- data and sizes -----------------------------------------------------------------

    def set_rows(self, rows: list[tuple[str, str, tuple[int, ...]]], series: list[tuple[str, QColor]], *,
                 tooltips: dict[str, str] | None = None, empty_text: str = "") -> None:  # fmt: skip
        self.rows, self.series = list(rows), list(series)
        self.tooltips = tooltips or {}
        self.empty_text = empty_text
        self._hover = None
        self._cached_layout = None
        self._resize()
        self.update()

    def _metrics(self) -> tuple[int, int, int, int]:
        """(legend height, row height, bar height, label lines)."""
        fm = self.fontMetrics()
        count = max(1, len(self.series))
        bar = max(9, fm.height() - 4)
        lines = 2 if count > 1 else 1
        row = max(lines * fm.height(), count * (bar + 2)) + 10
        legend = fm.height() + 10 if count > 1 else 0
        return legend, row, bar, lines

    def _resize(self) -> None:
        legend, row, _bar, _lines = self._metrics()
        height = legend + row * len(self.rows) + 4 if self.rows else legend + self.fontMetrics().height() * 2 + 8
        self.setFixedHeight(height)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return QSize(560, self.height())

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        self._cached_layout = None
        super().resizeEvent(event)

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        if event.type() == QEvent.FontChange:
            self._cached_layout = None
        super().changeEvent(event)

    def _layout(self) -> _Layout:
        """The layout, measured again after new rows, a new size or a new font.

        The width is checked too: a hidden widget gets its resizeEvent only when shown."""
        layout = self._cached_layout
        if layout is None or layout.width != self.width():
            layout = self._cached_layout = self._measure()
        return layout

    def _measure(self) -> _Layout:
        fm = self.fontMetrics()
        legend, row, bar, lines = self._metrics()
        widest = max((fm.horizontalAdvance(label) for _k, label, _v in self.rows), default=0)
        label_width = min(int(widest / lines) + 24 if lines > 1 else widest + 4, int(self.width() * 0.42))
        values = [v for _k, _l, vs in self.rows for v in vs]
        value_width = max(fm.horizontalAdvance(format_number(v)) for v in values or [0]) + 10
        index: dict[str, int] = {}
        for i, (key, _label, _values) in enumerate(self.rows):
            index.setdefault(key, i)
        return _Layout(width=self.width(), legend=legend, row=row, bar=bar, lines=lines, label_width=label_width,
                       start=label_width + 12, end=self.width() - value_width, maximum=max(values + [1]),
                       index=index)  # fmt: skip

    def bar_rect(self, key: str, series: int = 0) -> QRect:
        """The painted bar of row ``key`` in ``series``; at least 1 pixel wide."""
        return self._bar_rect(self._layout().index[key], series)

    def _bar_rect(self, index: int, series: int) -> QRect:
        layout = self._layout()
        value = self.rows[index][2][series]
        width = max(1, round((layout.end - layout.start) * value / layout.maximum))
        stack = len(self.series) * (layout.bar + 2) - 2
        top = layout.legend + layout.row * index + (layout.row - stack) // 2 + series * (layout.bar + 2)
        return QRect(layout.start, top, width, layout.bar)

    def hit(self, point: QPoint) -> tuple[str, int] | None:
        """The (row key, series) under ``point``: a bar's whole lane counts, the label means series 0."""
        layout = self._layout()
        if point.y() < layout.legend or not self.rows:
            return None
        index = (point.y() - layout.legend) // layout.row
        if not 0 <= index < len(self.rows):
            return None
        key = self.rows[index][0]
        if point.x() < layout.start:
            return key, 0
        for series in range(len(self.series)):
            rect = self.bar_rect(key, series)
            if rect.top() - 1 <= point.y() <= rect.bottom() + 1:
                return key, series
        return None

    # --- painting -----------------------------------------------------------------------

    def paintEvent(self, _event) -> None:  # noqa: N802 (Qt API)
        painter = QPainter(self)
        fm = self.fontMetrics()
        layout = self._layout()
        legend, row = layout.legend, layout.row
        if len(self.series) > 1:
            _legend(painter, fm, self.width() - 8, 2, self.series)
        if not self.rows:
            painter.setPen(AXIS_TEXT)
            painter.drawText(QRect(0, legend, self.width(), self.height() - legend), Qt.AlignCenter | Qt.TextWordWrap,
                             self.empty_text)  # fmt: skip
            painter.end()
            return
        for index, (key, label, values) in enumerate(self.rows):
            top = legend + row * index
            if index % 2:
                painter.fillRect(QRect(0, top, self.width(), row), QColor("#f6f8fa"))
            text = _two_lines(fm, label, layout.label_width, layout.lines)
            painter.setPen(TEXT)
            block = QRect(0, top + (row - fm.height() * len(text)) // 2, layout.label_width, fm.height() * len(text))
            painter.drawText(block, Qt.AlignLeft | Qt.AlignVCenter, "\n".join(text))
            for series, (_name, color) in enumerate(self.series):
                rect = self._bar_rect(index, series)
                shade = QColor(color)
                if self._hover == (key, series):
                    shade = shade.darker(125)
                if values[series] > 0:
                    painter.fillRect(rect, shade)
                painter.setPen(TEXT if series == 0 else AXIS_TEXT)
                painter.drawText(QRect(rect.right() + 5, rect.top() - 3, self.width(), rect.height() + 6),
                                 Qt.AlignLeft | Qt.AlignVCenter, format_number(values[series]))  # fmt: skip
        painter.setPen(QPen(GRID, 1))
        painter.drawLine(layout.start - 1, legend, layout.start - 1, legend + row * len(self.rows))
        painter.end()

    # --- mouse ------------------------------------------------------------------------

    def _tooltip_key(self, hit: tuple[str, int]):
        return hit[0]  # one tooltip per row
