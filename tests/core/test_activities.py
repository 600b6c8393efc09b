"""Activities: validation, normalisation, trash, ordering, filters, search, stats, evidence,
taxonomy labels, and bulk loading (demo data)."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import sqlite3
import unicodedata
from pathlib import Path

import pytest

from core import taxonomy
from core.activities import repository
from core.activities.bulk import bulk_load
from core.activities.evidence import add_evidence, evidence_file, remove_evidence, stored_path
from core.activities.filters import SORT_EXPRESSIONS, ActivityFilter
from core.activities.model import ORIGIN_TYPED
from core.activities.service import (
    create_activity,
    delete_activities,
    duplicate_activity,
    empty_trash,
    restore_activities,
    update_activity,
    values_of,
)
from core.db import open_db
from core.demo import generate
from core.errors import FileProblem, NotFoundError, UserError, ValidationError
from core.progress import Cancelled, Progress
from core.units import create_unit


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def values(unit_id_: str, **overrides) -> dict:
    base = {
        "date_from": "05/03/2025",
        "unit_id": unit_id_,
        "form_code": "tin_bai",
        "topics": ["chinh_quyen_so"],
        "title": "Tin bài về chuyển đổi số",
        "quantity": "2",
    }
    base.update(overrides)
    return base


def count(db, table: str = "activities", where: str = "1") -> int:
    return db.execute(f"SELECT count(*) FROM {table} WHERE {where}").fetchone()[0]


def row_counts(db) -> dict[str, int]:
    return {t: count(db, t) for t in ("activities", "activity_topics", "evidence", "activity_search")}


def ids(db, **filter_kwargs) -> list[int]:
    return list(repository.ordered_ids(db, ActivityFilter(**filter_kwargs), sort="date", descending=False))


def schema(db) -> list[tuple]:
    return sorted(db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall(), key=repr)


# --- create ---------------------------------------------------------------------------


def test_create_from_typed_text(db, unit):
    activity = create_activity(
        db,
        values(
            unit.id,
            date_from="05/03/2025",
            date_to="7/3/2025",
            form_code="hoi_nghi",
            topics=["de_an_06", "chinh_quyen_so"],
            title="Hội nghị triển khai Đề án 06",
            content="Hướng dẫn kích hoạt VNeID",
            channel="Trực tiếp tại cơ sở",
            quantity="1",
            duration_minutes="120",
            participants="1.250",
            cost="1.500.000 đ",
            funding_code="ns_xa",
            link="https://xahailang.gov.vn/tin-tuc/1",
            notes="Có ảnh",
        ),
    )
    assert activity.id is not None and activity.id > 0
    assert activity.date_from == dt.date(2025, 3, 5)
    assert activity.date_to == dt.date(2025, 3, 7)
    assert activity.unit_id == unit.id
    assert activity.form_code == "hoi_nghi"
    assert activity.topics == ["chinh_quyen_so", "de_an_06"]  # taxonomy order
    assert activity.quantity == 1
    assert activity.duration_minutes == 120
    assert activity.participants == 1250
    assert activity.cost == 1_500_000
    assert activity.funding_code == "ns_xa"
    assert activity.origin == ORIGIN_TYPED
    assert len(activity.uuid) == 36 and activity.uuid.count("-") == 4
    assert activity.created_at == activity.updated_at and activity.created_at.endswith("Z")
    assert activity.deleted_at is None
    stored = db.execute(
        "SELECT date_from, date_to, cost, search_text FROM activities WHERE id = ?", [activity.id]
    ).fetchone()
    assert stored[:3] == ("2025-03-05", "2025-03-07", 1_500_000)
    assert "hoi nghi trien khai de an 06" in stored[3]
    assert "vneid" in stored[3]
    assert row_counts(db) == {"activities": 1, "activity_topics": 2, "evidence": 0, "activity_search": 1}


def test_create_accepts_python_values(db, unit):
    activity = create_activity(
        db,
        values(unit.id, date_from=dt.date(2025, 1, 9), quantity=3, cost=0, topics=(), participants=None),
    )
    assert activity.date_from == dt.date(2025, 1, 9)
    assert activity.quantity == 3
    assert activity.cost == 0
    assert activity.topics == []


def test_same_end_date_is_stored_as_none(db, unit):
    activity = create_activity(db, values(unit.id, date_from="05/03/2025", date_to="2025-03-05"))
    assert activity.date_to is None


def test_given_uuid_and_origin_are_kept(db, unit):
    activity = create_activity(
        db, values(unit.id, uuid="11111111-2222-4333-8444-555555555555", origin="imported")
    )
    assert activity.uuid == "11111111-2222-4333-8444-555555555555"
    assert activity.origin == "imported"


THIS_YEAR = dt.date.today().year


@pytest.mark.parametrize(
    "overrides, field, words",
    [
        ({"date_from": ""}, "date_from", "Hãy nhập ngày thực hiện"),
        ({"date_from": None}, "date_from", "Hãy nhập ngày thực hiện"),
        ({"date_from": "31/02/2025"}, "date_from", "không có trên lịch"),
        ({"date_from": "03/25/2025"}, "date_from", "không có trên lịch"),
        ({"date_from": "hôm qua"}, "date_from", "ngày/tháng/năm"),
        ({"date_from": "31/12/1999"}, "date_from", "từ năm 2000"),
        ({"date_from": f"01/01/{THIS_YEAR + 2}"}, "date_from", f"đến năm {THIS_YEAR + 1}"),
        ({"date_to": "04/03/2025"}, "date_to", "không được trước ngày bắt đầu"),
        ({"date_to": "30/02/2025"}, "date_to", "không có trên lịch"),
        ({"unit_id": ""}, "unit_id", "Hãy chọn đơn vị"),
        ({"unit_id": "khong-co"}, "unit_id", "không có trong danh sách"),
        ({"form_code": ""}, "form_code", "Hãy chọn hình thức"),
        ({"form_code": "tiktok_live"}, "form_code", "không có trong danh mục"),
        ({"topics": ["chinh_quyen_so", "vu_tru"]}, "topics", "vu_tru"),
        ({"title": ""}, "title", "Hãy nhập tên"),
        ({"title": "   "}, "title", "Hãy nhập tên"),
        ({"title": "x" * 501}, "title", "dài quá 500"),
        ({"quantity": ""}, "quantity", "Hãy nhập số lượng"),
        ({"quantity": None}, "quantity", "Hãy nhập số lượng"),
        ({"quantity": "hai"}, "quantity", "Số lượng phải là một số"),
        ({"quantity": "2,5"}, "quantity", "số nguyên"),
        ({"quantity": "-2"}, "quantity", "âm"),
        ({"quantity": "2.000.000.000"}, "quantity", "quá lớn"),
        ({"duration_minutes": "1 giờ"}, "duration_minutes", "Thời lượng (phút)"),
        ({"participants": "-10"}, "participants", "âm"),
        ({"cost": "1,5", "funding_code": "ns_xa"}, "cost", "số nguyên"),
        ({"cost": "100.000.000.000.000", "funding_code": "ns_xa"}, "cost", "quá lớn"),
        ({"cost": "500.000"}, "funding_code", "hãy chọn nguồn kinh phí"),
        ({"funding_code": "vay_no"}, "funding_code", "không có trong danh mục"),
        ({"link": "https://xa.gov.vn/tin tuc"}, "link", "dấu cách"),
    ],
)
def test_validation_error_per_field_writes_nothing(db, unit, overrides, field, words):
    with pytest.raises(ValidationError) as info:
        create_activity(db, values(unit.id, **overrides))
    assert field in info.value.fields, info.value.fields
    assert words in info.value.fields[field]
    assert set(info.value.fields) == {field}
    assert info.value.message.startswith("Dữ liệu chưa hợp lệ")
    assert info.value.fields[field] in info.value.message
    assert row_counts(db) == {"activities": 0, "activity_topics": 0, "evidence": 0, "activity_search": 0}


def test_all_errors_are_reported_together(db):
    with pytest.raises(ValidationError) as info:
        create_activity(db, {"date_from": "x", "quantity": "y", "link": "a b", "topics": ["?"]})
    assert set(info.value.fields) == {
        "date_from", "unit_id", "form_code", "title", "quantity", "link", "topics",
    }  # fmt: skip
    assert count(db) == 0


@pytest.mark.parametrize("field", ["quantity", "duration_minutes", "participants", "cost"])
def test_negative_python_numbers_are_refused(db, unit, field):
    """Numbers from a spin box or a spreadsheet arrive as ints; a negative one is still invalid."""
    with pytest.raises(ValidationError) as info:
        create_activity(db, values(unit.id, **{field: -5, "funding_code": "ns_xa"}))
    assert field in info.value.fields
    assert count(db) == 0


def test_nfd_input_is_stored_as_nfc(db, unit):
    activity = create_activity(
        db,
        values(
            unit.id,
            title=nfd("  Tuyên truyền chuyển đổi số ở thôn Đông "),
            content=nfd("Hướng dẫn cài đặt ứng dụng"),
            channel=nfd("Đài truyền thanh cơ sở"),
            notes=nfd("Ghi chú: đã phát 3 lần"),
        ),
    )
    row = db.execute(
        "SELECT title, content, channel, notes FROM activities WHERE id = ?", [activity.id]
    ).fetchone()
    assert row == (
        "Tuyên truyền chuyển đổi số ở thôn Đông",
        "Hướng dẫn cài đặt ứng dụng",
        "Đài truyền thanh cơ sở",
        "Ghi chú: đã phát 3 lần",
    )
    for text in row:
        assert text == unicodedata.normalize("NFC", text)


def test_topics_deduplicated_and_replaced_on_update(db, unit):
    activity = create_activity(
        db, values(unit.id, topics=["kinh_te_so", "kinh_te_so", " ", "an_toan_thong_tin"])
    )
    assert activity.topics == ["kinh_te_so", "an_toan_thong_tin"]
    assert count(db, "activity_topics") == 2
    updated = update_activity(db, activity.id, values_of(activity) | {"topics": ["ky_nang_so"]})
    assert updated.topics == ["ky_nang_so"]
    assert db.execute("SELECT topic_code FROM activity_topics").fetchall() == [("ky_nang_so",)]


def test_get_missing_activity(db):
    with pytest.raises(NotFoundError) as info:
        repository.get_activity(db, 999)
    assert "không còn trong sổ" in info.value.message


# --- update, duplicate ---------------------------------------------------------------


def test_update_changes_fields_and_keeps_identity(db, unit):
    activity = create_activity(db, values(unit.id))
    db.execute("UPDATE activities SET updated_at = '2020-01-01T00:00:00Z' WHERE id = ?", [activity.id])
    changed = update_activity(
        db,
        activity.id,
        values_of(activity) | {"title": "Tin bài mới", "quantity": "5", "date_from": "06/03/2025"},
    )
    assert changed.id == activity.id
    assert changed.uuid == activity.uuid
    assert changed.created_at == activity.created_at
    assert changed.updated_at > "2020-01-01T00:00:00Z"
    assert (changed.title, changed.quantity, changed.date_from) == ("Tin bài mới", 5, dt.date(2025, 3, 6))
    assert count(db) == 1


def test_update_with_invalid_values_changes_nothing(db, unit):
    activity = create_activity(db, values(unit.id, topics=["kinh_te_so"]))
    before = db.execute("SELECT * FROM activities").fetchall()
    with pytest.raises(ValidationError) as info:
        update_activity(db, activity.id, values_of(activity) | {"title": "", "topics": ["xa_hoi_so"]})
    assert set(info.value.fields) == {"title"}
    assert db.execute("SELECT * FROM activities").fetchall() == before
    assert db.execute("SELECT topic_code FROM activity_topics").fetchall() == [("kinh_te_so",)]


def test_update_missing_activity(db, unit):
    with pytest.raises(NotFoundError):
        update_activity(db, 12345, values(unit.id))


def test_duplicate(db, unit):
    source = create_activity(
        db, values(unit.id, topics=["xa_hoi_so", "kinh_te_so"], cost="200.000", funding_code="xa_hoi_hoa",
                   origin="imported")  # fmt: skip
    )
    copy = duplicate_activity(db, source.id)
    assert copy.id != source.id
    assert copy.uuid != source.uuid
    assert copy.origin == ORIGIN_TYPED
    assert values_of(copy) == values_of(source)
    assert copy.topics == ["kinh_te_so", "xa_hoi_so"]
    assert count(db) == 2
    assert count(db, "activity_topics") == 4


# --- trash -----------------------------------------------------------------------------


def test_delete_trash_restore_empty(db, unit):
    a = create_activity(db, values(unit.id, title="Một"))
    b = create_activity(db, values(unit.id, title="Hai"))
    c = create_activity(db, values(unit.id, title="Ba"))

    assert delete_activities(db, [a.id, b.id]) == 2
    assert delete_activities(db, [a.id]) == 0  # already in the trash
    assert ids(db) == [c.id]
    assert ids(db, in_trash=True) == [a.id, b.id]
    assert repository.get_activity(db, a.id).deleted_at is not None
    assert repository.count(db, ActivityFilter()) == 1
    assert repository.totals(db, ActivityFilter()).count == 1

    assert restore_activities(db, [a.id, c.id]) == 1  # c was not in the trash
    assert ids(db) == [a.id, c.id]
    assert ids(db, in_trash=True) == [b.id]
    assert repository.get_activity(db, a.id).deleted_at is None

    assert empty_trash(db) == 1
    assert count(db) == 2
    with pytest.raises(NotFoundError):
        repository.get_activity(db, b.id)
    assert count(db, "activity_topics") == 2
    assert count(db, "activity_search") == 2
    assert ids(db, search="hai") == []
    assert ids(db, search="hai", in_trash=True) == []


def test_empty_trash_only_given_ids(db, unit):
    a = create_activity(db, values(unit.id))
    b = create_activity(db, values(unit.id))
    c = create_activity(db, values(unit.id))
    delete_activities(db, [a.id, b.id])
    assert empty_trash(db, [a.id, c.id]) == 1  # c is not in the trash: kept
    assert sorted(r[0] for r in db.execute("SELECT id FROM activities")) == [b.id, c.id]
    assert ids(db, in_trash=True) == [b.id]


def test_trash_many_ids_in_chunks(db, unit):
    created = [create_activity(db, values(unit.id, title=f"Hoạt động {i}")).id for i in range(1203)]
    assert delete_activities(db, created) == 1203
    assert count(db, where="deleted_at IS NULL") == 0
    assert restore_activities(db, created[:700]) == 700
    assert empty_trash(db) == 503
    assert count(db) == 700


# --- ordering ----------------------------------------------------------------------------


@pytest.fixture
def units_tree(db):
    district = create_unit(db, name="Huyện Hải Lăng", level="huyen", unit_id="h")
    x1 = create_unit(db, name="Xã Hải Phú", level="xa", parent_id="h", unit_id="x1")
    x2 = create_unit(db, name="Xã Ái Tử", level="xa", parent_id="h", unit_id="x2")
    village = create_unit(db, name="Thôn Đông", level="khac", parent_id="x1", unit_id="t1")
    other = create_unit(db, name="Xã Bến Quan", level="xa", unit_id="o")
    return district, x1, x2, village, other


SAMPLE = [
    # date, unit, form, topics, title, qty, duration, participants, cost, funding, channel, notes
    ("2025-01-10", "x1", "tin_bai", ["chinh_quyen_so"], "Tuyên truyền chuyển đổi số trên trang tin", 3, None, 150, 300_000, "ns_xa", "Cổng/Trang thông tin điện tử", ""),
    ("2025-01-25", "x2", "phat_thanh", ["kinh_te_so", "chinh_quyen_so"], "Phát thanh về kinh tế số", 10, 30, None, None, None, "Đài truyền thanh cơ sở", ""),
    ("2025-02-03", "h", "hoi_nghi", ["de_an_06"], "Hội nghị Đảng ủy xã về Đề án 06", 1, 180, 120, 5_000_000, "ns_huyen", "Trực tiếp tại cơ sở", "Có Bí thư Đảng ủy dự"),
    ("2025-02-14", "t1", "truc_tiep", ["ky_nang_so"], "Ăn cơm cùng dân, hướng dẫn cài ứng dụng", 2, 60, 45, None, None, "Trực tiếp tại cơ sở", ""),
    ("2025-03-01", "o", "mxh", ["an_toan_thong_tin"], "Bài đăng cảnh báo lừa đảo trực tuyến", 1, None, 2500, 0, None, "Trang Facebook", "dược phẩm giả"),
    ("2025-03-01", "x1", "video", ["xa_hoi_so", "kinh_te_so"], "Âm nhạc và Video clip về xã hội số", 2, 5, 800, 1_000_000, "xa_hoi_hoa", "YouTube", ""),
    ("2024-12-31", "x2", "pano", [], "Đêm hội Pano băng rôn", 5, None, None, 2_000_000, "ns_xa", "Ấn phẩm, pano, băng rôn", ""),
]  # fmt: skip


@pytest.fixture
def sample(db, units_tree):
    created = []
    for i, (day, unit_id, form, topics, title, qty, dur, part, cost, fund, channel, notes) in enumerate(SAMPLE):
        activity = create_activity(
            db,
            {
                "date_from": day, "unit_id": unit_id, "form_code": form, "topics": topics,
                "title": title, "quantity": qty, "duration_minutes": dur, "participants": part,
                "cost": cost, "funding_code": fund, "channel": channel, "notes": notes,
            },
        )  # fmt: skip
        db.execute(
            "UPDATE activities SET updated_at = ? WHERE id = ?",
            [f"2025-06-{10 + (i * 5) % 7:02d}T00:00:00Z", activity.id],
        )
        created.append(activity.id)
    return created


def expected_order(db, ids_, sort: str) -> list[int]:
    """The display order computed in Python (NULLs first when ascending, ties by id)."""
    from core.text import vi_sort_key

    form_order = dict(db.execute("SELECT code, sort_order FROM taxonomy WHERE kind = 'form'").fetchall())
    fund_order = dict(db.execute("SELECT code, sort_order FROM taxonomy WHERE kind = 'funding'").fetchall())
    unit_key = dict(db.execute("SELECT id, sort_key FROM units").fetchall())

    def key(i):
        a = repository.get_activity(db, i)
        value = {
            "date": a.date_from.isoformat(),
            "title": vi_sort_key(a.title),
            "unit": unit_key[a.unit_id],
            "form": form_order[a.form_code],
            "channel": a.channel,
            "quantity": a.quantity,
            "duration": a.duration_minutes,
            "participants": a.participants,
            "cost": a.cost,
            "funding": fund_order.get(a.funding_code),
            "updated": a.updated_at,
        }[sort]
        return (value is not None, value if value is not None else 0, i)

    return sorted(ids_, key=key)


@pytest.mark.parametrize("sort", sorted(SORT_EXPRESSIONS))
def test_ordered_ids_each_sort_both_directions(db, sample, sort):
    ascending = list(repository.ordered_ids(db, ActivityFilter(), sort=sort, descending=False))
    descending = list(repository.ordered_ids(db, ActivityFilter(), sort=sort, descending=True))
    assert sorted(ascending) == sorted(sample)
    assert ascending == expected_order(db, sample, sort)
    assert descending == list(reversed(ascending))


def test_sort_by_title_is_vietnamese_dictionary_order(db, sample):
    order = repository.ordered_ids(db, ActivityFilter(), sort="title", descending=False)
    titles = [repository.get_activity(db, i).title for i in order]
    assert titles == [
        "Ăn cơm cùng dân, hướng dẫn cài ứng dụng",
        "Âm nhạc và Video clip về xã hội số",
        "Bài đăng cảnh báo lừa đảo trực tuyến",
        "Đêm hội Pano băng rôn",
        "Hội nghị Đảng ủy xã về Đề án 06",
        "Phát thanh về kinh tế số",
        "Tuyên truyền chuyển đổi số trên trang tin",
    ]


def test_sort_by_date_descending_is_newest_first(db, sample):
    order = list(repository.ordered_ids(db, ActivityFilter()))
    dates = [repository.get_activity(db, i).date_from for i in order]
    assert dates == sorted(dates, reverse=True)
    assert order[:2] == [sample[5], sample[4]]  # same day: higher id first when descending


def test_first_ids_match_the_full_ordering(db, sample):
    for flt in (ActivityFilter(), ActivityFilter(search="so"), ActivityFilter(unit_id="x1"),
                ActivityFilter(in_trash=True)):  # fmt: skip
        assert repository.first_ids(db, flt, limit=3) == list(repository.ordered_ids(db, flt))[:3]


def test_first_ids_with_many_search_matches(db):
    generate(db, activities=6000, units=4, years=[2024, 2025], seed=4, today=DEMO_TODAY)
    unit_id = db.execute("SELECT id FROM units WHERE parent_id IS NOT NULL ORDER BY id LIMIT 1").fetchone()[0]
    for flt in (
        ActivityFilter(search="t"),
        ActivityFilter(search="t", unit_id=unit_id),
        ActivityFilter(search="t", form_codes=("mxh",), date_from=dt.date(2025, 1, 1)),
        ActivityFilter(search="t", topic_codes=("kinh_te_so",), include_subunits=False, unit_id=unit_id),
    ):
        expected = list(repository.ordered_ids(db, flt))
        assert len(expected) > 10
        assert repository.first_ids(db, flt, limit=200) == expected[:200]
    assert repository.count(db, ActivityFilter(search="t")) > 5000  # above the index-hint threshold


def test_unknown_sort_key_is_refused(db, sample):
    with pytest.raises(KeyError):
        repository.ordered_ids(db, ActivityFilter(), sort="title; DROP TABLE activities")
    assert count(db) == len(SAMPLE)


def test_page_is_keyset_paged_newest_first(db, sample):
    first = repository.page(db, ActivityFilter(), limit=3)
    assert [r["id"] for r in first] == list(repository.ordered_ids(db, ActivityFilter()))[:3]
    last = first[-1]
    second = repository.page(db, ActivityFilter(), limit=10, after=(last["date_from"], last["id"]))
    assert [r["id"] for r in first + second] == list(repository.ordered_ids(db, ActivityFilter()))
    assert [r["id"] for r in first] == [sample[5], sample[4], sample[3]]
    assert first[0]["unit_name"] == "Xã Hải Phú"
    assert first[0]["topic_labels"] == "Kinh tế số; Xã hội số"
    row = repository.rows_by_id(db, [sample[2]])[sample[2]]
    assert row["unit_name"] == "Huyện Hải Lăng"
    assert row["form_label"] == "Hội nghị, hội thảo, sự kiện"
    assert row["counted_unit"] == "sự kiện"
    assert row["funding_label"] == "Ngân sách huyện"
    assert row["topic_labels"] == "Đề án 06 / định danh điện tử (VNeID)"
    assert row["evidence_count"] == 0


# --- filters -------------------------------------------------------------------------------


def test_filter_date_range_inclusive(db, sample):
    assert ids(db, date_from=dt.date(2025, 1, 1), date_to=dt.date(2025, 1, 31)) == sample[0:2]
    assert ids(db, date_from=dt.date(2025, 3, 1)) == sample[4:6]
    assert ids(db, date_to=dt.date(2024, 12, 31)) == [sample[6]]
    assert ids(db, date_from=dt.date(2025, 2, 3), date_to=dt.date(2025, 2, 3)) == [sample[2]]
    assert ids(db, date_from=dt.date(2026, 1, 1)) == []


def test_filter_forms(db, sample):
    assert ids(db, form_codes=("hoi_nghi",)) == [sample[2]]
    assert sorted(ids(db, form_codes=("mxh", "video", "pano"))) == sorted([sample[4], sample[5], sample[6]])
    assert ids(db, form_codes=("cuoc_thi",)) == []


def test_filter_topics_any_of(db, sample):
    assert sorted(ids(db, topic_codes=("kinh_te_so",))) == [sample[1], sample[5]]
    assert sorted(ids(db, topic_codes=("kinh_te_so", "de_an_06"))) == [sample[1], sample[2], sample[5]]
    assert ids(db, topic_codes=("thanh_toan_so",)) == []


def test_filter_unit_with_and_without_subunits(db, sample):
    assert sorted(ids(db, unit_id="h")) == sorted(sample[0:4] + [sample[5], sample[6]])
    assert ids(db, unit_id="h", include_subunits=False) == [sample[2]]
    assert sorted(ids(db, unit_id="x1")) == sorted([sample[0], sample[3], sample[5]])
    assert sorted(ids(db, unit_id="x1", include_subunits=False)) == [sample[0], sample[5]]
    assert ids(db, unit_id="t1") == [sample[3]]
    assert ids(db, unit_id="o") == [sample[4]]
    assert ids(db, unit_id="khong-co") == []


def test_filter_funding(db, sample):
    assert sorted(ids(db, funding_codes=("ns_xa",))) == [sample[0], sample[6]]
    assert sorted(ids(db, funding_codes=("ns_huyen", "xa_hoi_hoa"))) == [sample[2], sample[5]]


def test_filters_combine(db, sample):
    assert ids(db, unit_id="x1", form_codes=("video", "tin_bai"), date_from=dt.date(2025, 2, 1)) == [sample[5]]
    assert ids(db, unit_id="h", topic_codes=("kinh_te_so",), funding_codes=("xa_hoi_hoa",)) == [sample[5]]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("chuyen doi so", [0]),
        ("CHUYỂN ĐỔI", [0]),
        ("Chuyển đổi số", [0]),
        (nfd("chuyển đổi số"), [0]),
        ("chuyen   DOI", [0]),
        ("dang uy", [2]),
        ("ĐẢNG ỦY", [2]),
        ("Đảng", [2, 4]),  # "đảng" and "đăng" fold the same
        ("chuy", [0]),  # a word start is enough
        ("so", [0, 1, 2, 3, 5]),  # số ..., and "cơ sở" in the channel
        ("bi thu", [2]),  # found in the notes
        ("duoc", [4]),
        ("facebook", [4]),  # channel is searched
        ("youtube xa hoi", [5]),  # every word must match
        ("kinh te so", [1]),
        ("ung dung", [3]),
        ("zzz", []),
        ("doi chuyen", [0]),  # word order does not matter
    ],
)
def test_search_folded(db, sample, query, expected):
    assert sorted(ids(db, search=query)) == sorted(sample[i] for i in expected)


@pytest.mark.parametrize("query", ['"', "'", "*", "-", "AND", "OR NOT", "a\"b", "(", "NEAR(", "^"])
def test_search_with_odd_characters_does_not_fail(db, sample, query):
    found = ids(db, search=query)
    assert isinstance(found, list)
    assert set(found) <= set(sample)


def test_blank_search_finds_all(db, sample):
    assert sorted(ids(db, search="   ")) == sorted(sample)
    assert sorted(ids(db, search="!!!")) == sorted(sample)


def test_deleted_activities_are_not_found(db, sample):
    delete_activities(db, [sample[2]])
    assert ids(db, search="dang uy") == []
    assert ids(db, search="dang uy", in_trash=True) == [sample[2]]
    restore_activities(db, [sample[2]])
    assert ids(db, search="dang uy") == [sample[2]]


def test_edit_updates_the_search_index(db, sample):
    activity = repository.get_activity(db, sample[2])
    update_activity(db, sample[2], values_of(activity) | {"title": "Hội thảo thanh toán không tiền mặt",
                                                         "notes": ""})  # fmt: skip
    assert ids(db, search="dang uy") == []
    assert ids(db, search="tien mat") == [sample[2]]
    assert ids(db, search="HỘI THẢO") == [sample[2]]
    db.execute("INSERT INTO activity_search(activity_search) VALUES ('integrity-check')")


def test_new_activity_is_searchable_immediately(db, unit):
    create_activity(db, values(unit.id, title=nfd("Tọa đàm về dịch vụ công trực tuyến")))
    assert len(ids(db, search="toa dam dich vu cong")) == 1
    assert len(ids(db, search="tọa đàm")) == 1


# --- totals and statistics --------------------------------------------------------------------


def test_totals(db, sample):
    t = repository.totals(db, ActivityFilter())
    assert t == repository.Totals(
        count=7,
        quantity=3 + 10 + 1 + 2 + 1 + 2 + 5,
        duration_minutes=30 + 180 + 60 + 5,
        participants=150 + 120 + 45 + 2500 + 800,
        cost=300_000 + 5_000_000 + 0 + 1_000_000 + 2_000_000,
    )
    t_x1 = repository.totals(db, ActivityFilter(unit_id="x1"))
    assert (t_x1.count, t_x1.quantity, t_x1.cost) == (3, 7, 1_300_000)
    assert repository.totals(db, ActivityFilter(search="khong co gi")) == repository.Totals(0, 0, 0, 0, 0)


def stats_table(db, by, **flt):
    return [(g.key, g.label, g.totals.count, g.totals.quantity, g.totals.cost)
            for g in repository.stats(db, ActivityFilter(**flt), by=by)]  # fmt: skip


def test_stats_by_form_in_taxonomy_order(db, sample):
    assert stats_table(db, "form") == [
        ("mxh", "Đăng tin, bài trên trang/tài khoản mạng xã hội (Facebook, Zalo, YouTube, TikTok)", 1, 1, 0),
        ("tin_bai", "Tin, bài, ảnh trên cổng/trang thông tin điện tử, báo chí", 1, 3, 300_000),
        ("video", "Video, clip, phóng sự, infographic", 1, 2, 1_000_000),
        ("phat_thanh", "Phát thanh trên đài truyền thanh cơ sở (tự sản xuất, tiếp sóng)", 1, 10, 0),
        ("pano", "Pano, áp phích, băng rôn, khẩu hiệu", 1, 5, 2_000_000),
        ("hoi_nghi", "Hội nghị, hội thảo, sự kiện", 1, 1, 5_000_000),
        ("truc_tiep", "Tuyên truyền trực tiếp, hướng dẫn tại cộng đồng (Tổ công nghệ số cộng đồng)", 1, 2, 0),
    ]


def test_stats_by_unit_in_vietnamese_order(db, sample):
    assert stats_table(db, "unit") == [
        ("h", "Huyện Hải Lăng", 1, 1, 5_000_000),
        ("t1", "Thôn Đông", 1, 2, 0),
        ("x2", "Xã Ái Tử", 2, 15, 2_000_000),
        ("o", "Xã Bến Quan", 1, 1, 0),
        ("x1", "Xã Hải Phú", 2, 5, 1_300_000),
    ]


def test_stats_by_month(db, sample):
    assert stats_table(db, "month") == [
        ("2024-12", "12/2024", 1, 5, 2_000_000),
        ("2025-01", "01/2025", 2, 13, 300_000),
        ("2025-02", "02/2025", 2, 3, 5_000_000),
        ("2025-03", "03/2025", 2, 3, 1_000_000),
    ]


def test_stats_by_funding(db, sample):
    table = {key: (label, n, cost) for key, label, n, _q, cost in stats_table(db, "funding")}
    assert table["ns_xa"] == ("Ngân sách xã", 2, 2_300_000)
    assert table["ns_huyen"] == ("Ngân sách huyện", 1, 5_000_000)
    assert table["xa_hoi_hoa"] == ("Xã hội hóa", 1, 1_000_000)
    assert table[""][1:] == (3, 0)  # no funding source given
    assert table[""][0] != ""  # ...still has a label to show
    assert len(table) == 4


def test_stats_by_topic_counts_each_topic(db, sample):
    table = {key: (label, n, q) for key, label, n, q, _c in stats_table(db, "topic")}
    assert table == {
        "chinh_quyen_so": ("Chính quyền số", 2, 13),
        "kinh_te_so": ("Kinh tế số", 2, 12),
        "xa_hoi_so": ("Xã hội số", 1, 2),
        "an_toan_thong_tin": ("An toàn thông tin mạng", 1, 1),
        "de_an_06": ("Đề án 06 / định danh điện tử (VNeID)", 1, 1),
        "ky_nang_so": ("Kỹ năng số", 1, 2),
    }
    order = [key for key, *_ in stats_table(db, "topic")]
    assert order == ["chinh_quyen_so", "kinh_te_so", "xa_hoi_so", "an_toan_thong_tin", "de_an_06", "ky_nang_so"]


@pytest.mark.parametrize("by", ["form", "unit", "month", "funding"])
@pytest.mark.parametrize("flt", [{}, {"unit_id": "x1"}, {"date_from": dt.date(2025, 1, 1)}, {"search": "so"}])
def test_groups_add_up_to_totals(db, sample, by, flt):
    groups = repository.stats(db, ActivityFilter(**flt), by=by)
    total = repository.totals(db, ActivityFilter(**flt))
    for name in ("count", "quantity", "duration_minutes", "participants", "cost"):
        assert sum(getattr(g.totals, name) for g in groups) == getattr(total, name)
    assert total.count > 0


def test_stats_ignore_the_trash(db, sample):
    delete_activities(db, [sample[2]])
    assert [k for k, *_ in stats_table(db, "unit")] == ["t1", "x2", "o", "x1"]
    assert repository.totals(db, ActivityFilter()).cost == 3_300_000


# --- evidence ----------------------------------------------------------------------------------


@pytest.fixture
def photo(tmp_path) -> Path:
    folder = tmp_path / "may_anh"
    folder.mkdir()
    path = folder / nfd("Ảnh hội nghị.JPG")
    path.write_bytes(b"\xff\xd8\xff" + bytes(range(256)) * 40)
    return path


def evidence_files(db_path: Path) -> list[Path]:
    folder = db_path.parent / "minh_chung"
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def test_add_evidence_copies_and_hashes(db, db_path, unit, photo):
    activity = create_activity(db, values(unit.id))
    evidence_id = add_evidence(db, activity.id, photo)
    digest = hashlib.sha256(photo.read_bytes()).hexdigest()
    stored = evidence_file(db, evidence_id)
    assert stored == db_path.parent / "minh_chung" / digest[:2] / f"{digest}.jpg"
    assert stored.read_bytes() == photo.read_bytes()
    assert evidence_files(db_path) == [stored]
    assert photo.exists()  # the original stays where it was
    again = repository.get_activity(db, activity.id)
    assert [(e.id, e.file_name, e.sha256, e.size) for e in again.evidence] == [
        (evidence_id, "Ảnh hội nghị.JPG", digest, photo.stat().st_size)
    ]
    assert repository.rows_by_id(db, [activity.id])[activity.id]["evidence_count"] == 1


def test_same_content_is_stored_once(db, db_path, unit, photo, tmp_path):
    first = create_activity(db, values(unit.id))
    second = create_activity(db, values(unit.id))
    copy = tmp_path / "ban_sao.jpg"
    copy.write_bytes(photo.read_bytes())
    e1 = add_evidence(db, first.id, photo)
    e2 = add_evidence(db, second.id, copy)
    e3 = add_evidence(db, second.id, photo)
    assert len(evidence_files(db_path)) == 1
    assert count(db, "evidence") == 3
    assert evidence_file(db, e1) == evidence_file(db, e2) == evidence_file(db, e3)

    remove_evidence(db, e1)
    assert len(evidence_files(db_path)) == 1  # still used by the second activity
    remove_evidence(db, e2)
    remove_evidence(db, e3)
    assert count(db, "evidence") == 0
    assert evidence_files(db_path) == []
    with pytest.raises(FileProblem):
        evidence_file(db, e1)


def test_evidence_file_is_gone_after_empty_trash(db, db_path, unit, photo, tmp_path):
    kept = create_activity(db, values(unit.id, title="Giữ lại"))
    gone = create_activity(db, values(unit.id, title="Xóa"))
    other = tmp_path / "kich_ban.docx"
    other.write_bytes(b"PK\x03\x04 kich ban phat thanh")
    add_evidence(db, gone.id, photo)
    shared = add_evidence(db, gone.id, other)
    add_evidence(db, kept.id, other)
    assert len(evidence_files(db_path)) == 2

    delete_activities(db, [gone.id])
    assert len(evidence_files(db_path)) == 2  # still in the trash: can be restored with its files
    empty_trash(db)
    assert count(db, "evidence") == 1
    remaining = evidence_files(db_path)
    assert [p.suffix for p in remaining] == [".docx"]
    assert remaining[0].read_bytes() == other.read_bytes()
    with pytest.raises(FileProblem):
        evidence_file(db, shared)


def test_add_missing_evidence_file(db, db_path, unit, tmp_path):
    activity = create_activity(db, values(unit.id))
    with pytest.raises(FileProblem) as info:
        add_evidence(db, activity.id, tmp_path / "khong_co.jpg")
    assert "Không tìm thấy tệp" in info.value.message
    assert count(db, "evidence") == 0
    assert evidence_files(db_path) == []


def test_evidence_deleted_from_disk_is_reported(db, unit, photo):
    activity = create_activity(db, values(unit.id))
    evidence_id = add_evidence(db, activity.id, photo)
    evidence_file(db, evidence_id).unlink()
    with pytest.raises(FileProblem) as info:
        evidence_file(db, evidence_id)
    assert "Ảnh hội nghị.JPG" in info.value.message


def test_stored_path_uses_hash_and_suffix(db, db_path):
    path = stored_path(db, "ab" + "0" * 62, "Biên bản.PDF")
    assert path == db_path.parent / "minh_chung" / "ab" / ("ab" + "0" * 62 + ".pdf")


def test_save_activity_with_files_all_or_nothing(db, db_path, unit, photo, tmp_path):
    from core.activities.evidence import forget_unused_files
    from core.activities.service import save_activity

    script = tmp_path / "kich_ban.txt"
    script.write_text("Kính thưa bà con", encoding="utf-8")
    with pytest.raises(ValidationError):
        save_activity(db, None, values(unit.id, title=""), add_files=[photo, script])
    assert row_counts(db)["activities"] == 0
    assert evidence_files(db_path) == []  # nothing copied for an invalid activity

    saved = save_activity(db, None, values(unit.id), add_files=[photo, script])
    assert [e.file_name for e in saved.evidence] == ["Ảnh hội nghị.JPG", "kich_ban.txt"]
    assert len(evidence_files(db_path)) == 2

    first = saved.evidence[0].id
    again = save_activity(db, saved.id, values_of(saved) | {"title": "Đã sửa"}, remove_evidence_ids=[first])
    assert again.title == "Đã sửa"
    assert [e.file_name for e in again.evidence] == ["kich_ban.txt"]
    assert sorted(p.suffix for p in evidence_files(db_path)) == [".jpg", ".txt"]  # kept for Hoàn tác
    forget_unused_files(db)  # the next start
    assert [p.suffix for p in evidence_files(db_path)] == [".txt"]


def test_save_activity_cannot_remove_another_activitys_evidence(db, unit, photo):
    from core.activities.service import save_activity

    owner = save_activity(db, None, values(unit.id, title="Chủ"), add_files=[photo])
    other = save_activity(db, None, values(unit.id, title="Khác"))
    save_activity(db, other.id, values_of(other), remove_evidence_ids=[owner.evidence[0].id])
    assert len(repository.get_activity(db, owner.id).evidence) == 1


# --- taxonomy ------------------------------------------------------------------------------------


def test_taxonomy_rename_keeps_code(db, unit):
    activity = create_activity(db, values(unit.id, form_code="phat_thanh", quantity="4"))
    term = taxonomy.rename(db, "form", "phat_thanh", nfd("  Loa truyền thanh  "))
    assert (term.code, term.label) == ("phat_thanh", "Loa truyền thanh")
    assert taxonomy.labels(db, "form")["phat_thanh"] == "Loa truyền thanh"
    assert repository.get_activity(db, activity.id).form_code == "phat_thanh"
    assert repository.rows_by_id(db, [activity.id])[activity.id]["form_label"] == "Loa truyền thanh"
    assert stats_table(db, "form") == [("phat_thanh", "Loa truyền thanh", 1, 4, 0)]
    assert [t.code for t in taxonomy.terms(db, "form")][:4] == ["mxh", "tin_bai", "video", "phat_thanh"]
    taxonomy.reset_label(db, "form", "phat_thanh")
    assert taxonomy.labels(db, "form")["phat_thanh"].startswith("Phát thanh trên đài truyền thanh cơ sở")


def test_taxonomy_rename_errors(db):
    with pytest.raises(ValidationError) as info:
        taxonomy.rename(db, "topic", "kinh_te_so", "   ")
    assert "không được để trống" in info.value.fields["label"]
    with pytest.raises(NotFoundError) as info2:
        taxonomy.rename(db, "topic", "khong_co", "Gì đó")
    assert "khong_co" in info2.value.message
    assert taxonomy.labels(db, "topic")["kinh_te_so"] == "Kinh tế số"
    assert "khong_co" not in taxonomy.labels(db, "topic")


def test_renamed_label_survives_reopening(db_path):
    db = open_db(db_path)
    taxonomy.rename(db, "funding", "ns_huyen", "Ngân sách cấp huyện (cũ)")
    db.close()
    db = open_db(db_path)
    try:
        assert taxonomy.labels(db, "funding")["ns_huyen"] == "Ngân sách cấp huyện (cũ)"
    finally:
        db.close()


# --- bulk loading: demo data ---------------------------------------------------------------------

DEMO_TODAY = dt.date(2026, 1, 15)


def demo_rows(path: Path, *, seed: int, activities: int = 300) -> list[tuple]:
    db = open_db(path)
    try:
        assert generate(db, activities=activities, units=4, years=[2024, 2025], seed=seed, today=DEMO_TODAY) == activities
        return db.execute(
            "SELECT a.uuid, a.date_from, a.unit_id, a.form_code, a.title, a.quantity, a.cost,"
            " (SELECT group_concat(topic_code) FROM"
            "   (SELECT topic_code FROM activity_topics WHERE activity_id = a.id ORDER BY topic_code))"
            " FROM activities a ORDER BY a.id"
        ).fetchall()
    finally:
        db.close()


def test_demo_is_deterministic_for_a_seed(tmp_path):
    first = demo_rows(tmp_path / "a.db", seed=7)
    second = demo_rows(tmp_path / "b.db", seed=7)
    other = demo_rows(tmp_path / "c.db", seed=8)
    assert len(first) == 300
    assert first == second
    assert [r[0] for r in first] == [r[0] for r in second]
    assert len({r[0] for r in first}) == 300
    assert [r[0] for r in first] != [r[0] for r in other]
    assert not {r[0] for r in first} & {r[0] for r in other}


def test_demo_data_is_valid_and_indexed(db):
    before = schema(db)
    generate(db, activities=500, units=4, years=[2024, 2025], seed=3, today=DEMO_TODAY)
    assert schema(db) == before  # indexes and triggers are back, unchanged
    assert count(db) == 500
    assert count(db, "units") == 4
    assert count(db, "activities", "origin = 'demo'") == 500
    first_day, last_day = db.execute("SELECT min(date_from), max(date_from) FROM activities").fetchone()
    assert "2024-01-01" <= first_day < "2024-03-01"
    assert "2025-10-01" < last_day <= "2025-12-31"
    assert count(db, "activities", "date_from LIKE '2024-%'") > 150
    # every activity has at least one known topic; every row is in the search index
    assert count(db, "activities", "id NOT IN (SELECT activity_id FROM activity_topics)") == 0
    assert count(db, "activity_topics", "topic_code NOT IN (SELECT code FROM taxonomy WHERE kind='topic')") == 0
    assert count(db, "activity_search") == 500
    db.execute("INSERT INTO activity_search(activity_search) VALUES ('integrity-check')")
    facebook = count(db, "activities", "(' ' || search_text || ' ') LIKE '% facebook %'")
    assert facebook > 0
    assert len(ids(db, search="Facebook")) == facebook
    # rows written afterwards are indexed by the restored trigger
    unit_id = db.execute("SELECT id FROM units ORDER BY id LIMIT 1").fetchone()[0]
    create_activity(db, values(unit_id, title="Hoạt động riêng biệt xyzabc"))
    assert len(ids(db, search="xyzabc")) == 1
    assert db.execute("SELECT origin FROM activities WHERE title LIKE '%xyzabc'").fetchone()[0] == ORIGIN_TYPED


def test_demo_after_existing_activities_keeps_topics_aligned(db, unit):
    mine = create_activity(db, values(unit.id, topics=["thanh_toan_so"], title="Của tôi"))
    throwaway = create_activity(db, values(unit.id, topics=["khac"]))
    delete_activities(db, [throwaway.id])
    empty_trash(db)  # the highest id is gone: new ids must still line up with their topics
    generate(db, activities=200, seed=5, years=[2025], today=DEMO_TODAY)
    assert count(db) == 201
    assert repository.get_activity(db, mine.id).topics == ["thanh_toan_so"]
    assert count(db, "activity_topics", f"activity_id = {mine.id}") == 1
    assert count(db, "activity_topics", "activity_id NOT IN (SELECT id FROM activities)") == 0
    assert count(db, "activities", "id NOT IN (SELECT activity_id FROM activity_topics)") == 0
    assert count(db, "units") == 1  # existing units are used
    assert count(db, "activities", f"unit_id != '{unit.id}'") == 0
    assert ids(db, search="cua toi") == [mine.id]


class CancelAfterFirstUpdate(Progress):
    def __init__(self):
        super().__init__()
        self.seen: list[int] = []

    def update(self, done, total=None, label=None):
        self.seen.append(done)
        self.cancel()
        super().update(done, total, label)


def test_cancelled_demo_rolls_back_completely(db, unit):
    existing = create_activity(db, values(unit.id, title="Có từ trước"))
    before_schema = schema(db)
    before_rows = row_counts(db)
    progress = CancelAfterFirstUpdate()
    with pytest.raises(Cancelled) as info:
        generate(db, activities=20_001, seed=1, years=[2025], progress=progress, today=DEMO_TODAY)
    assert isinstance(info.value, UserError)
    assert "Đã hủy" in info.value.message
    assert progress.seen == [20_000]  # cancelled after the first batch
    assert not db.conn.in_transaction
    assert row_counts(db) == before_rows
    assert count(db, "activities", "origin = 'demo'") == 0
    assert schema(db) == before_schema
    names = {r[0] for r in db.execute("SELECT name FROM sqlite_master")}
    assert {"activities_ai", "activities_ad", "activities_au", "activities_by_date",
            "activities_by_unit", "activities_by_form"} <= names  # fmt: skip
    assert ids(db, search="co tu truoc") == [existing.id]
    fresh = create_activity(db, values(unit.id, title="Sau khi hủy"))
    assert ids(db, search="sau khi huy") == [fresh.id]


def test_cancel_requested_before_start_writes_nothing(db):
    before = schema(db)
    progress = Progress()
    progress.cancel()
    with pytest.raises(Cancelled):
        generate(db, activities=20_001, units=3, seed=2, progress=progress, today=DEMO_TODAY)
    assert progress.cancel_requested
    assert progress.done == 20_000 and progress.total == 20_001
    assert row_counts(db) == {"activities": 0, "activity_topics": 0, "evidence": 0, "activity_search": 0}
    assert count(db, "units") == 0
    assert count(db, "settings") == 0
    assert schema(db) == before


def test_bulk_load_needs_a_transaction(db):
    before = schema(db)
    with pytest.raises(RuntimeError):
        with bulk_load(db):
            pass
    assert schema(db) == before


def test_bulk_load_error_rolls_back(db, unit):
    before = schema(db)
    with pytest.raises(sqlite3.IntegrityError):
        with db.atomic():
            with bulk_load(db) as first_id:
                assert first_id == 1
                assert "activities_ai" not in {r[0] for r in db.execute("SELECT name FROM sqlite_master")}
                db.execute(
                    "INSERT INTO activities(uuid, date_from, unit_id, form_code, title, created_at,"
                    " updated_at, search_text) VALUES ('u1', '2025-01-01', ?, 'mxh', 'x', '', '', 'x')",
                    [unit.id],
                )
                db.execute(
                    "INSERT INTO activities(uuid, date_from, unit_id, form_code, title, created_at,"
                    " updated_at) VALUES ('u1', '2025-01-01', ?, 'mxh', 'x', '', '')",
                    [unit.id],
                )
    assert count(db) == 0
    assert count(db, "activity_search") == 0
    assert schema(db) == before


def test_progress_fields():
    progress = Progress()
    progress.update(5, 10, "Đang tải")
    assert (progress.done, progress.total, progress.label) == (5, 10, "Đang tải")
    progress.update(6)
    assert (progress.done, progress.total, progress.label) == (6, 10, "Đang tải")
    assert not progress.cancel_requested
    progress.cancel()
    with pytest.raises(Cancelled):
        progress.check()


def test_random_activities_round_trip(db, units_tree):
    """Whatever valid values go in come back out the same way through get_activity/values_of."""
    rng = random.Random(11)
    forms = [r[0] for r in db.execute("SELECT code FROM taxonomy WHERE kind='form' ORDER BY sort_order")]
    topics = [r[0] for r in db.execute("SELECT code FROM taxonomy WHERE kind='topic' ORDER BY sort_order")]
    for _ in range(40):
        start = dt.date(2020, 1, 1) + dt.timedelta(days=rng.randrange(2000))
        given = {
            "date_from": start,
            "date_to": start + dt.timedelta(days=rng.randrange(1, 5)),
            "unit_id": rng.choice(["h", "x1", "x2", "t1", "o"]),
            "form_code": rng.choice(forms),
            "topics": sorted(rng.sample(topics, rng.randrange(0, 4)), key=topics.index),
            "title": rng.choice(["Tuyên truyền", "Hội nghị", "Đăng bài"]) + f" số {rng.randrange(1000)}",
            "content": "",
            "channel": "",
            "quantity": rng.randrange(0, 10_000),
            "duration_minutes": rng.choice([None, rng.randrange(1, 600)]),
            "participants": rng.choice([None, rng.randrange(0, 100_000)]),
            "cost": None,
            "funding_code": None,
            "link": "",
            "notes": "",
        }
        created = create_activity(db, given)
        assert values_of(created) == given


def test_bulk_load_keeps_the_indexes_for_a_few_rows_beside_many(db, unit):
    def add(first_id: int, n: int, word: str) -> None:
        db.conn.executemany(
            "INSERT INTO activities(id, uuid, date_from, unit_id, form_code, title, created_at, updated_at,"
            " search_text) VALUES (?, ?, '2025-01-01', ?, 'mxh', 'x', '', '', ?)",
            [(first_id + i, f"{word}{i}", unit.id, word) for i in range(n)],
        )  # fmt: skip

    with db.atomic():
        with bulk_load(db, 40) as first_id:  # many beside none: indexes rebuilt after
            assert "activities_ai" not in {r[0] for r in db.execute("SELECT name FROM sqlite_master")}
            add(first_id, 40, "nhieu")
    before = schema(db)
    with db.atomic():
        with bulk_load(db, 5) as first_id:  # few beside many: indexes and search trigger kept
            assert first_id == 41 and schema(db) == before
            add(first_id, 5, "it")
    assert schema(db) == before
    assert count(db, "activity_search") == 45
    assert db.execute("SELECT count(*) FROM activity_search WHERE activity_search MATCH 'it'").fetchone()[0] == 5
    assert db.execute("SELECT count(*) FROM activity_search WHERE activity_search MATCH 'nhieu'").fetchone()[0] == 40
