"""Realistic demo data: units, and activities spread over the years, for trying the app
and for benchmarks. Deterministic for a seed; one transaction (cancel leaves nothing)."""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random
from functools import lru_cache

import sqlite_utils

from core import settings
from core.activities.bulk import bulk_load
from core.activities.model import ORIGIN_DEMO
from core.clock import now_iso
from core.progress import Progress
from core.text import fold, vi_sort_key
from core.units import create_unit

PLACES = [
    "Hải Lăng", "Triệu Phong", "Gio Linh", "Cam Lộ", "Vĩnh Linh", "Hướng Hóa", "Đakrông",
    "Hải Phú", "Hải Thượng", "Hải Định", "Hải Chánh", "Hải Sơn", "Hải Trường", "Hải Quy",
    "Triệu Ái", "Triệu Thượng", "Triệu Long", "Triệu Thành", "Gio Mỹ", "Gio Phong",
    "Cam Hiếu", "Cam Tuyền", "Vĩnh Thủy", "Vĩnh Tú", "Lao Bảo", "Khe Sanh", "Tà Rụt",
    "Đông Hà", "Quảng Trị", "Ba Lòng", "Mỹ Thủy", "Ái Tử", "Cửa Việt", "Bến Quan",
]  # fmt: skip

TOPIC_PHRASES = {
    "chinh_quyen_so": "xây dựng chính quyền số",
    "kinh_te_so": "phát triển kinh tế số, thương mại điện tử",
    "xa_hoi_so": "xây dựng xã hội số",
    "an_toan_thong_tin": "bảo đảm an toàn thông tin mạng, phòng chống lừa đảo trực tuyến",
    "dich_vu_cong": "sử dụng dịch vụ công trực tuyến",
    "de_an_06": "Đề án 06, kích hoạt tài khoản định danh điện tử VNeID",
    "thanh_toan_so": "thanh toán không dùng tiền mặt",
    "ky_nang_so": "phổ cập kỹ năng số cho người dân",
    "khac": "chuyển đổi số",
}

# form -> (title templates, channel, quantity range, duration range, participants range, cost range)
FORMS = {
    "mxh": (["Đăng bài tuyên truyền {p} trên trang Facebook của {u}",
             "Chia sẻ video hướng dẫn {p} trên nhóm Zalo {u}"], "Trang Facebook", (1, 8), None, (200, 5000), None),
    "tin_bai": (["Tin bài về {p} trên Trang thông tin điện tử {u}"], "Cổng/Trang thông tin điện tử", (1, 6), None, (100, 3000), (0, 500_000)),
    "video": (["Sản xuất video clip, infographic về {p}"], "YouTube", (1, 3), None, (500, 10000), (0, 3_000_000)),
    "phat_thanh": (["Phát thanh chuyên mục “Chuyển đổi số” về {p} trên đài truyền thanh {u}",
                    "Tiếp sóng chương trình về {p}"], "Đài truyền thanh cơ sở", (2, 20), (10, 45), None, (0, 400_000)),
    "truyen_hinh": (["Tọa đàm truyền hình về {p}"], "Đài truyền hình", (1, 2), (20, 60), None, (2_000_000, 10_000_000)),
    "chuyen_muc": (["Chuyên mục về {p} trên Trang thông tin điện tử {u}"], "Cổng/Trang thông tin điện tử", (1, 4), None, None, (0, 1_000_000)),
    "an_pham": (["In và phát tờ rơi hướng dẫn {p}"], "Ấn phẩm, pano, băng rôn", (100, 2000), None, (100, 2000), (500_000, 5_000_000)),
    "pano": (["Treo băng rôn, khẩu hiệu về {p} tại {u}"], "Ấn phẩm, pano, băng rôn", (2, 20), None, None, (300_000, 4_000_000)),
    "bang_dien_tu": (["Bản tin điện tử về {p} trên bảng tin công cộng"], "Khác", (1, 10), None, None, None),
    "hoi_nghi": (["Hội nghị triển khai {p} tại {u}", "Hưởng ứng Ngày Chuyển đổi số quốc gia 10/10 tại {u}"], "Trực tiếp tại cơ sở", (1, 1), (120, 240), (30, 300), (2_000_000, 20_000_000)),
    "tap_huan": (["Tập huấn {p} cho cán bộ, công chức {u}"], "Trực tiếp tại cơ sở", (1, 2), (120, 480), (20, 120), (1_000_000, 15_000_000)),
    "cuoc_thi": (["Cuộc thi trắc nghiệm trực tuyến tìm hiểu về {p}"], "Cổng/Trang thông tin điện tử", (1, 1), None, (100, 5000), (3_000_000, 30_000_000)),
    "truc_tiep": (["Tổ công nghệ số cộng đồng hướng dẫn người dân {p} tại {u}"], "Trực tiếp tại cơ sở", (1, 4), (60, 240), (10, 200), None),
    "khen_thuong": (["Khen thưởng tập thể, cá nhân tiêu biểu trong {p}"], "Trực tiếp tại cơ sở", (1, 10), None, None, (500_000, 10_000_000)),
    "khac": (["Hoạt động khác về {p}"], "Khác", (1, 3), None, None, None),
}  # fmt: skip
FORM_WEIGHTS = {"mxh": 30, "tin_bai": 15, "phat_thanh": 20, "truc_tiep": 10, "video": 5, "pano": 4,
                "an_pham": 4, "hoi_nghi": 3, "tap_huan": 3, "chuyen_muc": 2, "bang_dien_tu": 2,
                "truyen_hinh": 1, "cuoc_thi": 1, "khen_thuong": 1, "khac": 1}  # fmt: skip
FUNDING_BY_LEVEL = {"tinh": "ns_tinh", "huyen": "ns_huyen", "xa": "ns_xa"}
DEMO_KEY = "demo_data"  # settings: the units and plans the demo created (its activities have origin "demo")

INSERT_COLUMNS = (
    "uuid", "date_from", "date_to", "unit_id", "form_code", "title", "content", "channel",
    "quantity", "duration_minutes", "participants", "cost", "funding_code", "link", "notes",
    "origin", "created_at", "updated_at", "search_text", "title_key",
)  # fmt: skip


@lru_cache(maxsize=100_000)
def _title_keys(title: str, channel: str) -> tuple[str, str]:
    return fold(f"{title} {channel}"), vi_sort_key(title)


def create_units(db: sqlite_utils.Database, count: int, rng: random.Random) -> list[tuple[str, str, str]]:
    """A district with ``count`` communes (or one commune); returns (id, name, level)."""
    names = PLACES[:]
    rng.shuffle(names)
    if count <= 1:
        unit = create_unit(db, name=f"Xã {names[0]}", level="xa", unit_id="demo-xa-0")
        return [(unit.id, unit.name, "xa")]
    district = create_unit(db, name=f"Huyện {names[0]}", level="huyen", unit_id="demo-huyen")
    units = [(district.id, district.name, "huyen")]
    for i in range(count - 1):
        place = names[1 + i % (len(names) - 1)]
        suffix = f" {i // (len(names) - 1) + 1}" if i >= len(names) - 1 else ""
        unit = create_unit(db, name=f"Xã {place}{suffix}", level="xa", parent_id=district.id,
                           unit_id=f"demo-xa-{i}")  # fmt: skip
        units.append((unit.id, unit.name, "xa"))
    return units


def generate(
    db: sqlite_utils.Database,
    *,
    activities: int,
    units: int = 5,
    years: list[int] | None = None,
    seed: int = 1,
    progress: Progress | None = None,
    today: dt.date | None = None,
) -> int:
    """Add ``activities`` demo activities (and units if there are none); returns the count."""
    progress = progress or Progress()
    today = today or dt.date.today()
    years = sorted(years or [today.year - 1, today.year])
    rng = random.Random(seed)
    start = dt.date(years[0], 1, 1)
    end = min(dt.date(years[-1], 12, 31), max(today, dt.date(years[0], 12, 31)))
    with db.atomic():
        existing = [(r[0], r[1], r[2]) for r in db.execute("SELECT id, name, level FROM units ORDER BY id")]
        unit_rows = existing or create_units(db, units, rng)
        marks = settings.get(db, DEMO_KEY) or {"units": [], "plans": []}
        if not existing:
            marks["units"] = [row[0] for row in unit_rows]
        if settings.load_profile(db) is None:
            top = unit_rows[0]
            settings.save_profile(db, settings.Profile(
                unit_id=top[0], officer_name="Nguyễn Thị Hoa", officer_title="Công chức Văn hóa - Xã hội",
                province="Quảng Trị", recipients=["Sở Khoa học và Công nghệ"]))  # fmt: skip
        with bulk_load(db) as first_id:
            done = 0
            while done < activities:
                size = min(20_000, activities - done)
                rows, topic_rows = _batch(rng, size, unit_rows, start, (end - start).days + 1, first_id + done)
                db.conn.executemany(_INSERT_SQL, rows)
                db.conn.executemany(
                    "INSERT INTO activity_topics(activity_id, topic_code) VALUES (?, ?)", topic_rows
                )
                done += size
                progress.update(done, activities, "Đang tạo dữ liệu mẫu")
        if not db.execute("SELECT 1 FROM plans LIMIT 1").fetchone():
            marks["plans"] = [demo_plan(db, years, today)]  # in the same transaction: all of the demo data or none
        settings.put(db, DEMO_KEY, marks)  # what "Xóa dữ liệu mẫu" takes away besides the demo activities
    return activities


def demo_plan(db: sqlite_utils.Database, years: list[int], today: dt.date) -> str:
    """A plan over the demo years with targets set near what the demo log achieves: some met, some behind;
    returns its uuid."""
    from core import plans
    from core.activities import repository
    from core.activities.filters import ActivityFilter

    plan = plans.create_plan(db, {
        "number": "148/KH-UBND", "issued_on": dt.date(years[0], 1, 15), "issuer": "Ủy ban nhân dân tỉnh",
        "title": "Kế hoạch tuyên truyền về chuyển đổi số", "year_from": years[0], "year_to": years[-1],
    })  # fmt: skip
    series = None  # the manual target is the same one every year
    for year in years:
        year_filter = ActivityFilter(date_from=dt.date(year, 1, 1), date_to=dt.date(year, 12, 31))
        by_form = {g.key: g.totals for g in repository.stats(db, year_filter, by="form")}  # one pass over the year
        none = repository.Totals()
        news, social = by_form.get("tin_bai", none).quantity, by_form.get("mxh", none).quantity
        events = by_form.get("hoi_nghi", none).count
        cost = sum(t.cost for t in by_form.values())
        for order, (values, actual, ratio) in enumerate((
            ({"name": "Tin, bài trên cổng/trang thông tin điện tử", "unit_label": "tin, bài", "measure": "quantity",
              "form_codes": ["tin_bai"]}, news, 1.25),
            ({"name": "Bài đăng trên mạng xã hội", "unit_label": "bài đăng", "measure": "quantity",
              "form_codes": ["mxh"]}, social, 0.9),
            ({"name": "Hội nghị, sự kiện hưởng ứng Ngày Chuyển đổi số quốc gia", "unit_label": "sự kiện",
              "form_codes": ["hoi_nghi"]}, events, 1.2),
            ({"name": "Kinh phí thực hiện tuyên truyền", "unit_kind": "money", "measure": "cost"}, cost, 1.1),
        )):  # fmt: skip
            planned = max(1, round(actual * ratio))
            plans.create_target(db, plan.id, {**values, "year": year, "planned": planned, "sort_order": order})
        schools = plans.create_target(db, plan.id, {
            "name": "Tỷ lệ trường học có nội dung tuyên truyền về chuyển đổi số", "year": year, "planned": 50,
            "unit_kind": "percent", "source": "manual", "sort_order": 9, "series": series,
        })  # fmt: skip
        series = schools.series
        as_of = min(dt.date(year, 6, 30), today)
        if as_of.year == year:
            plans.record_value(db, schools.id, as_of, 35 + 5 * (year - years[0]), "Báo cáo của phòng Giáo dục")
    return plan.uuid


_INSERT_SQL = (
    f"INSERT INTO activities ({', '.join(INSERT_COLUMNS)})"
    f" VALUES ({', '.join('?' * len(INSERT_COLUMNS))})"
)


def _uuid4(bits: int) -> str:
    """A version-4 UUID string from 128 random bits (deterministic for the seed)."""
    h = f"{bits:032x}"
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) & 3]}{h[17:20]}-{h[20:]}"


def _batch(rng, size, unit_rows, start, span, first_id):
    """``size`` activity rows (ids from ``first_id``) and their topic rows.

    Uses rng.random() arithmetic rather than randrange/choices: this loop runs
    a million times for the benchmark database.
    """
    forms = list(FORM_WEIGHTS)
    cumulative = list(itertools.accumulate(FORM_WEIGHTS.values()))
    weight_total = cumulative[-1]
    topics = list(TOPIC_PHRASES)[:-1]
    days = [(start + dt.timedelta(days=d)).isoformat() for d in range(span)]
    stamp = now_iso()
    random = rng.random
    rows, topic_rows = [], []
    for i in range(size):
        form = forms[bisect.bisect_right(cumulative, random() * weight_total)]
        templates, channel, qty, dur, part, cost = FORMS[form]
        unit_id, unit_name, level = unit_rows[int(random() * len(unit_rows))]
        topic = topics[int(random() * len(topics))]
        title = templates[int(random() * len(templates))].format(p=TOPIC_PHRASES[topic], u=unit_name)
        money = None
        if cost and random() < 0.7:
            money = cost[0] + int(random() * (cost[1] - cost[0]) / 50_000) * 50_000
        search_text, title_key = _title_keys(title, channel)
        rows.append((
            _uuid4(rng.getrandbits(128)), days[int(random() * span)], None,
            unit_id, form, title, "", channel, qty[0] + int(random() * (qty[1] - qty[0] + 1)),
            dur[0] + 5 * int(random() * (dur[1] - dur[0]) / 5) if dur else None,
            part[0] + int(random() * (part[1] - part[0])) if part else None, money,
            FUNDING_BY_LEVEL.get(level, "khac") if money else None,
            "", "", ORIGIN_DEMO, stamp, stamp, search_text, title_key,
        ))  # fmt: skip
        topic_rows.append((first_id + i, topic))
        if random() < 0.3:
            second = topics[int(random() * len(topics))]
            if second != topic:
                topic_rows.append((first_id + i, second))
    return rows, topic_rows
