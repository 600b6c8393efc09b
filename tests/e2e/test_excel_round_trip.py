"""Export the log to Excel, import it into an empty database: the same activities come back."""

from __future__ import annotations

from core import settings
from core.activities.filters import ActivityFilter
from core.activities.service import create_activity
from core.db import open_db
from core.importers import service
from core.importers.export import export_log_xlsx
from core.units import create_unit

FIELDS = ("uuid", "date_from", "date_to", "form_code", "title", "content", "channel", "quantity",
          "duration_minutes", "participants", "cost", "funding_code", "link", "notes", "search_text", "title_key")  # fmt: skip


def setup(db):
    commune = create_unit(db, name="Xã Hải Phú", level="xa")
    village = create_unit(db, name="Thôn Mỹ Thủy", level="khac", parent_id=commune.id)
    settings.save_profile(db, settings.Profile(unit_id=commune.id, officer_name="Lê Thị Mai"))
    return commune, village


def snapshot(db) -> list[tuple]:
    rows = db.execute(
        f"SELECT {', '.join('a.' + f for f in FIELDS)}, u.name,"
        " (SELECT group_concat(topic_code) FROM (SELECT topic_code FROM activity_topics t"
        "   WHERE t.activity_id = a.id ORDER BY topic_code))"
        " FROM activities a JOIN units u ON u.id = a.unit_id ORDER BY a.uuid"
    ).fetchall()
    return [tuple(r) for r in rows]


def test_export_then_import_gives_the_same_activities(db, tmp_path):
    commune, village = setup(db)
    create_activity(db, {"date_from": "05/03/2025", "date_to": "07/03/2025", "unit_id": commune.id,
                         "form_code": "hoi_nghi", "title": "Hội nghị triển khai Đề án 06",
                         "content": "Hướng dẫn cài VNeID mức 2\nvà thanh toán không dùng tiền mặt",
                         "channel": "Hội trường UBND", "quantity": 1, "participants": "120",
                         "cost": "1.500.000", "funding_code": "ns_xa", "topics": ["de_an_06", "thanh_toan_so"],
                         "link": "https://haiphu.gov.vn/tin/1", "notes": "=Đã báo cáo huyện"})  # fmt: skip
    create_activity(db, {"date_from": "10/03/2025", "unit_id": village.id, "form_code": "phat_thanh",
                         "title": "Phát thanh chuyên mục chuyển đổi số", "quantity": 3,
                         "duration_minutes": 15, "channel": "Loa truyền thanh thôn"})  # fmt: skip
    create_activity(db, {"date_from": "11/03/2025", "unit_id": commune.id, "form_code": "mxh",
                         "title": "+84 đường dây nóng: @zalo xã", "quantity": 2, "notes": "-5 lượt"})  # fmt: skip
    path, count = export_log_xlsx(db, ActivityFilter(), tmp_path / "so.xlsx")
    assert count == 3

    other = open_db(tmp_path / "moi.db")
    setup(other)
    preview = service.analyse(other, path)
    assert preview.problems == [] and preview.skipped == 0 and len(preview.ready) == 3
    assert service.commit(other, preview).imported == 3
    assert snapshot(other) == snapshot(db)

    again = service.analyse(db, path)  # back into the log it came from: nothing new
    assert again.ready == [] and again.duplicates == 3
    other.close()


def test_cli_export_with_a_filter(db, db_path, tmp_path):
    import io
    import json

    from openpyxl import load_workbook

    from core.cli import run

    commune, _village = setup(db)
    for day, form in (("05/03/2025", "tin_bai"), ("06/03/2025", "mxh"), ("05/04/2025", "tin_bai")):
        create_activity(db, {"date_from": day, "unit_id": commune.id, "form_code": form, "title": f"Tin {day}",
                             "quantity": 1})  # fmt: skip
    out, err = io.StringIO(), io.StringIO()
    target = tmp_path / "thang3.xlsx"
    code = run(["--db", str(db_path), "export-excel", str(target), "--from", "01/03/2025", "--to", "31/03/2025",
                "--form", "tin_bai", "--format", "json"], out, err)  # fmt: skip
    assert code == 0, err.getvalue()
    assert json.loads(out.getvalue()) == {"file": str(target), "activities": 1}
    ws = load_workbook(target).active
    assert ws.cell(2, 5).value == "Tin 05/03/2025" or "Tin 05/03/2025" in [c.value for c in ws[2]]
    assert ws.max_row == 2
    err = io.StringIO()
    assert run(["--db", str(db_path), "export-excel", str(tmp_path / "x.csv")], io.StringIO(), err) == 2
    assert "đuôi .xlsx" in err.getvalue()
