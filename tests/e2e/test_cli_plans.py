"""plans and targets on the command line, with the demo's plan."""

from __future__ import annotations

import io
import json

from core.cli import run


def cli(db_path, *args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(["--db", str(db_path), *args], out, err)
    return code, out.getvalue(), err.getvalue()


def test_demo_plan_listed_and_measured(db_path):
    assert cli(db_path, "demo", "--activities", "2000", "--units", "3", "--years", "2024,2025", "--seed", "5")[0] == 0
    code, text, _ = cli(db_path, "plans")
    assert code == 0 and text.startswith("148/KH-UBND ngày 15/01/2024 — Kế hoạch tuyên truyền về chuyển đổi số")
    assert "  2025: Tỷ lệ trường học có nội dung tuyên truyền về chuyển đổi số: 50% (nhập tay)" in text
    plans = json.loads(cli(db_path, "plans", "--format", "json")[1])
    assert len(plans) == 1 and len(plans[0]["targets"]) == 10  # five targets a year

    code, text, _ = cli(db_path, "targets", "--year", "2025", "--kind", "6thang", "--rules", "calendar")
    assert code == 0 and "thực hiện 6 tháng đầu năm 2025 (từ 01/01/2025 đến 30/06/2025)" in text
    report = json.loads(cli(db_path, "targets", "--year", "2025", "--format", "json")[1])
    assert report["period"] == {"label": "năm 2025", "start": "2025-01-01", "end": "2025-12-14"}  # NĐ 09: to 14/12
    by_name = {t["name"]: t for t in report["targets"]}
    news = by_name["Tin, bài trên cổng/trang thông tin điện tử"]
    stats = json.loads(cli(db_path, "stats", "--by", "form", "--from", "01/01/2025",
                           "--to", report["period"]["end"], "--format", "json")[1])  # fmt: skip
    from_stats = next(g for g in stats["groups"] if g["key"] == "tin_bai")
    assert news["achieved"] == from_stats["quantity"]  # the same log, the same figure
    assert by_name["Tỷ lệ trường học có nội dung tuyên truyền về chuyển đổi số"]["achieved"] == 40
    assert by_name["Tỷ lệ trường học có nội dung tuyên truyền về chuyển đổi số"]["last_year"] == 35
    assert cli(db_path, "targets")[0] == 2  # --year is required
