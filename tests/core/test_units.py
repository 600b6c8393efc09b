"""Units: hierarchy of any depth, official codes as ids, rename history, cycles refused."""

from __future__ import annotations

import unicodedata

import pytest

from core.errors import NotFoundError, ValidationError
from core.settings import Profile, load_profile, save_profile
from core.units import (
    all_units,
    create_unit,
    get_unit,
    name_history,
    subtree_ids,
    update_unit,
)


def count_units(db) -> int:
    return db.execute("SELECT count(*) FROM units").fetchone()[0]


def count_history(db) -> int:
    return db.execute("SELECT count(*) FROM unit_name_history").fetchone()[0]


def test_unit_fixture_is_a_commune(db, unit):
    assert unit.name == "Xã Hải Lăng"
    assert unit.level == "xa"
    assert unit.parent_id is None
    assert get_unit(db, unit.id) == unit
    assert count_units(db) == 1


def test_create_with_official_code_uses_it_as_id(db):
    province = create_unit(db, name="Tỉnh Quảng Trị", level="tinh", official_code="45")
    assert province.id == "45"
    assert province.official_code == "45"
    commune = create_unit(db, name="Xã Hải Lăng", level="xa", parent_id="45", official_code=" 19498 ")
    assert commune.id == "19498"
    assert commune.parent_id == "45"


def test_create_without_code_gets_distinct_generated_ids(db):
    a = create_unit(db, name="Xã A", level="xa")
    b = create_unit(db, name="Xã A", level="xa")
    assert a.id != b.id
    assert a.id.startswith("u-") and b.id.startswith("u-")
    assert a.official_code is None


def test_create_normalises_nfd_name_to_nfc(db):
    nfd_name = unicodedata.normalize("NFD", "  Xã Triệu Phong ")
    created = create_unit(db, name=nfd_name, level="xa")
    stored = db.execute("SELECT name FROM units WHERE id = ?", [created.id]).fetchone()[0]
    assert stored == "Xã Triệu Phong"
    assert stored == unicodedata.normalize("NFC", stored)


@pytest.mark.parametrize(
    "kwargs, field, words",
    [
        ({"name": "", "level": "xa"}, "name", "không được để trống"),
        ({"name": "   ", "level": "xa"}, "name", "không được để trống"),
        ({"name": "Xã A", "level": "thon"}, "level", "cấp của đơn vị"),
        ({"name": "Xã A", "level": "xa", "parent_id": "khong-co"}, "parent_id", "không tồn tại"),
    ],
)
def test_create_validation_errors_write_nothing(db, kwargs, field, words):
    with pytest.raises(ValidationError) as info:
        create_unit(db, **kwargs)
    assert field in info.value.fields
    assert words in info.value.fields[field]
    assert info.value.message.startswith("Dữ liệu chưa hợp lệ")
    assert count_units(db) == 0


def test_several_field_errors_at_once(db):
    with pytest.raises(ValidationError) as info:
        create_unit(db, name="", level="?", parent_id="nowhere")
    assert set(info.value.fields) == {"name", "level", "parent_id"}
    assert count_units(db) == 0


def test_duplicate_official_code_is_refused(db):
    create_unit(db, name="Xã Hải Lăng", level="xa", official_code="19498")
    with pytest.raises(ValidationError) as info:
        create_unit(db, name="Xã khác", level="xa", official_code="19498")
    assert "19498" in info.value.fields["official_code"]
    assert count_units(db) == 1
    assert get_unit(db, "19498").name == "Xã Hải Lăng"


def test_get_missing_unit(db):
    with pytest.raises(NotFoundError) as info:
        get_unit(db, "khong-co")
    assert "Không tìm thấy đơn vị" in info.value.message


def test_all_units_in_vietnamese_order(db):
    for name in ("Xã Đông Hà", "Xã Ân Thi", "Xã Dương Thủy", "Xã An Bình", "Xã Ba Lòng", "Xã Ăn Tiên"):
        create_unit(db, name=name, level="xa")
    assert [u.name for u in all_units(db)] == [
        "Xã An Bình", "Xã Ăn Tiên", "Xã Ân Thi", "Xã Ba Lòng", "Xã Dương Thủy", "Xã Đông Hà",
    ]  # fmt: skip


@pytest.fixture
def tree(db):
    """Tỉnh -> 2 huyện -> xã; plus a separate province."""
    province = create_unit(db, name="Tỉnh Quảng Trị", level="tinh", unit_id="t")
    h1 = create_unit(db, name="Huyện Hải Lăng", level="huyen", parent_id="t", unit_id="h1")
    h2 = create_unit(db, name="Huyện Gio Linh", level="huyen", parent_id="t", unit_id="h2")
    create_unit(db, name="Xã Hải Phú", level="xa", parent_id="h1", unit_id="x1")
    create_unit(db, name="Xã Hải Thượng", level="xa", parent_id="h1", unit_id="x2")
    create_unit(db, name="Xã Gio Mỹ", level="xa", parent_id="h2", unit_id="x3")
    create_unit(db, name="Thôn Phú Hưng", level="khac", parent_id="x1", unit_id="th1")
    create_unit(db, name="Tỉnh Huế", level="tinh", unit_id="other")
    return province, h1, h2


def test_subtree_any_depth(db, tree):
    assert sorted(subtree_ids(db, "t")) == ["h1", "h2", "t", "th1", "x1", "x2", "x3"]
    assert sorted(subtree_ids(db, "h1")) == ["h1", "th1", "x1", "x2"]
    assert sorted(subtree_ids(db, "x3")) == ["x3"]
    assert sorted(subtree_ids(db, "other")) == ["other"]


def test_rename_keeps_history(db, tree):
    update_unit(db, "h1", name="Thị xã Hải Lăng", level="huyen", parent_id="t")
    update_unit(db, "h1", name="Xã Hải Lăng", level="xa", parent_id="t")
    assert get_unit(db, "h1").name == "Xã Hải Lăng"
    assert get_unit(db, "h1").level == "xa"
    history = name_history(db, "h1")
    assert [(old, new) for old, new, _at in history] == [
        ("Huyện Hải Lăng", "Thị xã Hải Lăng"),
        ("Thị xã Hải Lăng", "Xã Hải Lăng"),
    ]
    assert all(at.endswith("Z") and at[4] == "-" for _o, _n, at in history)


def test_update_without_name_change_adds_no_history(db, tree):
    update_unit(db, "x1", name="Xã Hải Phú", level="xa", parent_id="h2")
    assert name_history(db, "x1") == []
    assert get_unit(db, "x1").parent_id == "h2"
    assert sorted(subtree_ids(db, "h2")) == ["h2", "th1", "x1", "x3"]


def test_update_normalises_nfd_and_keeps_sort_order(db, tree):
    update_unit(db, "other", name=unicodedata.normalize("NFD", "Tỉnh Ánh Dương"), level="tinh", parent_id=None)
    assert get_unit(db, "other").name == "Tỉnh Ánh Dương"
    assert [u.id for u in all_units(db)][:2] == ["h2", "h1"]  # Huyện Gio Linh, Huyện Hải Lăng


@pytest.mark.parametrize("new_parent", ["t", "h1", "x1", "th1"])
def test_cycles_are_refused(db, tree, new_parent):
    # "t" is its own ancestor; h1, x1, th1 are below it.
    with pytest.raises(ValidationError) as info:
        update_unit(db, "t", name="Tỉnh Quảng Trị", level="tinh", parent_id=new_parent)
    assert "cấp dưới" in info.value.fields["parent_id"] or "chính nó" in info.value.fields["parent_id"]
    assert get_unit(db, "t").parent_id is None
    assert sorted(subtree_ids(db, "t")) == ["h1", "h2", "t", "th1", "x1", "x2", "x3"]


def test_update_validation_writes_nothing(db, tree):
    with pytest.raises(ValidationError) as info:
        update_unit(db, "x1", name="", level="xa", parent_id="h1")
    assert "name" in info.value.fields
    assert get_unit(db, "x1").name == "Xã Hải Phú"
    assert count_history(db) == 0


def test_update_missing_unit(db):
    with pytest.raises(NotFoundError):
        update_unit(db, "nope", name="X", level="xa", parent_id=None)


def test_profile_round_trip(db, unit):
    assert load_profile(db) is None
    saved = save_profile(
        db,
        Profile(
            unit_id=unit.id,
            officer_name=unicodedata.normalize("NFD", " Nguyễn Thị Hoa "),
            officer_title="Công chức Văn hóa - Xã hội",
            province="Quảng Trị",
            recipients=["Sở Khoa học và Công nghệ", "  ", unicodedata.normalize("NFD", "Sở Văn hóa")],
        ),
    )
    assert saved.officer_name == "Nguyễn Thị Hoa"
    loaded = load_profile(db)
    assert loaded == saved
    assert loaded.recipients == ["Sở Khoa học và Công nghệ", "Sở Văn hóa"]
    save_profile(db, Profile(unit_id=unit.id, officer_name="Trần Văn B"))
    assert load_profile(db).officer_name == "Trần Văn B"
    assert db.execute("SELECT count(*) FROM settings WHERE key = 'profile'").fetchone()[0] == 1
