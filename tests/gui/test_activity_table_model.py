"""The lazy log model: Qt's model checks, paging, sorting, partial-then-complete loading."""

from __future__ import annotations

from array import array

from PySide6.QtCore import Qt

from core.activities.filters import ActivityFilter
from core.demo import generate
from gui.activity_table_model import COLUMNS, ID_ROLE, MAX_CACHED_PAGES, PAGE_SIZE, ActivityTableModel


def test_qtmodeltester(qtmodeltester, profile_db):
    model = ActivityTableModel(profile_db)
    model.reload()
    assert model.rowCount() == 3
    qtmodeltester.check(model, force_py=True)


def test_rows_newest_first_with_vietnamese_formats(profile_db):
    model = ActivityTableModel(profile_db)
    model.reload()
    first = [model.data(model.index(r, 0)) for r in range(3)]
    assert first == ["20/07/2025", "10/04/2025", "05/03/2025"]
    cost_column = [c[1] for c in COLUMNS].index("cost")
    assert model.data(model.index(1, cost_column)) == "12.000.000"
    assert model.data(model.index(1, cost_column), Qt.TextAlignmentRole) & int(Qt.AlignRight)
    assert model.headerData(0, Qt.Horizontal) == "Ngày"


def test_sort_by_title_uses_vietnamese_order(profile_db):
    model = ActivityTableModel(profile_db)
    title_column = [c[1] for c in COLUMNS].index("title")
    model.sort(title_column, Qt.AscendingOrder)
    titles = [model.data(model.index(r, title_column)) for r in range(3)]
    assert [t.split()[0] for t in titles] == ["Đăng", "Hội", "Tin"]


def test_filter_by_search_folds_tone_marks(profile_db):
    model = ActivityTableModel(profile_db)
    model.set_filter(ActivityFilter(search="dang uy"))
    assert model.rowCount() == 1
    assert "Đảng ủy" in model.data(model.index(0, 3))


def test_paging_keeps_few_rows_in_memory(db):
    generate(db, activities=20_000, units=3, years=[2024, 2025], seed=3)
    model = ActivityTableModel(db)
    model.reload()
    assert model.rowCount() == 20_000
    for row in range(0, 20_000, 97):
        assert model.data(model.index(row, 0))
    assert model.cached_rows <= MAX_CACHED_PAGES * PAGE_SIZE
    assert model.data(model.index(19_999, 0), ID_ROLE) == model.ids[-1]


def test_complete_ids_appends_without_reset(qtbot, profile_db):
    model = ActivityTableModel(profile_db)
    full = array("q", [3, 2, 1])
    model.set_ids([3])
    with qtbot.waitSignal(model.rowsInserted, timeout=1000):
        model.complete_ids(full)
    assert list(model.ids) == [3, 2, 1]
    # a list that does not start with the known ids replaces them
    with qtbot.waitSignal(model.modelReset, timeout=1000):
        model.complete_ids(array("q", [1, 2]))
    assert list(model.ids) == [1, 2]
