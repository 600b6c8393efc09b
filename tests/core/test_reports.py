"""Reports in the database: drafting from the log, numbering, saving, re-drafting, finalising."""

from __future__ import annotations

import datetime as dt

import pytest

from core import periods, settings
from core.activities.service import create_activity, delete_activities
from core.errors import UserError, ValidationError
from core.reports import context, export, store
from core.units import create_unit

H1_2025 = periods.period_for("6thang", 2025, rules="calendar")


@pytest.fixture
def commune_db(db):
    district = create_unit(db, name="Huyện Hải Lăng", level="huyen")
    commune = create_unit(db, name="Xã Hải Phú", level="xa", parent_id=district.id)
    settings.save_profile(db, settings.Profile(unit_id=district.id, officer_name="Lê Văn Hòa",
                                               parent_agency="UBND tỉnh Quảng Trị",
                                               recipients=["Sở Khoa học và Công nghệ"]))  # fmt: skip
    def add(date, form, qty, cost=None, unit=commune.id, topics=()):
        return create_activity(db, {"date_from": date, "unit_id": unit, "form_code": form, "title": f"{form} {date}",
                                    "quantity": qty, "cost": cost, "funding_code": "ns_xa" if cost else None,
                                    "topics": list(topics)})  # fmt: skip
    for day in ("05/01/2025", "10/02/2025", "15/03/2025"):
        add(day, "tin_bai", 8)
    add("20/04/2025", "hoi_nghi", 1, cost=5_000_000, unit=district.id, topics=["an_toan_thong_tin"])
    add("10/03/2024", "tin_bai", 20)  # same period last year
    add("10/08/2025", "tin_bai", 99)  # outside the period
    db.add = add
    db.district, db.commune = district, commune
    return db


def test_new_report_is_drafted_from_the_log(commune_db):
    report = store.create_report(commune_db, H1_2025, today=dt.date(2025, 6, 20))
    assert report.number_text == "01/BC-UBND"
    assert report.agency_name == "ỦY BAN NHÂN DÂN HUYỆN HẢI LĂNG"
    assert report.agency_parent == "UBND TỈNH QUẢNG TRỊ"
    assert report.place == "Hải Lăng"
    assert report.summary == "Kết quả công tác tuyên truyền chuyển đổi số 6 tháng đầu năm 2025"
    results = next(s for s in report.sections if s.key == "ket_qua").text
    assert "đã đăng tải 24 tin, bài, ảnh trên cổng/trang thông tin điện tử, báo chí, tăng 20% so với cùng kỳ năm 2024" in results
    assert "tổ chức 1 hội nghị, hội thảo, sự kiện" in results
    assert "Tổng kinh phí thực hiện công tác tuyên truyền là 5.000.000 đồng" in results
    assert "Đã thực hiện 1 hoạt động tuyên truyền về bảo đảm an toàn thông tin mạng" in results
    assert "Xã Hải Phú: 3 hoạt động" in results
    assert "đã thực hiện 4 hoạt động tuyên truyền" in results


def test_numbers_restart_each_year(commune_db):
    first = store.create_report(commune_db, H1_2025, today=dt.date(2025, 6, 1))
    second = store.create_report(commune_db, H1_2025, today=dt.date(2025, 6, 2))
    next_year = store.create_report(commune_db, H1_2025, today=dt.date(2026, 1, 5))
    assert (first.doc_number, second.doc_number, next_year.doc_number) == (1, 2, 1)


def test_context_follows_decree_30(commune_db):
    report = store.create_report(commune_db, H1_2025, today=dt.date(2025, 2, 5))
    ctx = context.build_context(commune_db, report)
    assert ctx["place_date"] == "Hải Lăng, ngày 05 tháng 02 năm 2025"
    assert context.place_date("Hải Phú", dt.date(2025, 11, 9)) == "Hải Phú, ngày 09 tháng 11 năm 2025"
    assert context.place_date("Hải Phú", dt.date(2025, 3, 15)) == "Hải Phú, ngày 15 tháng 3 năm 2025"
    assert ctx["number"] == "Số: 01/BC-UBND"
    assert ctx["recipients_inline"] and ctx["recipients"] == ["Sở Khoa học và Công nghệ."]
    assert ctx["body"][0] == {"kind": "h1", "text": "I. CÔNG TÁC CHỈ ĐẠO, TRIỂN KHAI"}
    assert ctx["body"][-1]["text"].endswith("./.") and not ctx["body"][-1]["text"].endswith("../.")
    kinds = {p["kind"] for p in ctx["body"]}
    assert {"h1", "h2", "body"} <= kinds
    forms, units_table = ctx["appendix"]["tables"]
    tin_bai = next(r for r in forms["rows"] if r[1].startswith("Tin, bài"))
    assert tin_bai[3:] == ["24", "3", "0", "0", "20", "+20%"]
    assert forms["total"][4] == "4" and forms["total"][6] == "5.000.000"
    assert units_table["rows"] == [["1", "UBND huyện Hải Lăng (trực tiếp thực hiện)", "1", "0", "0", "5.000.000"],
                                   ["2", "Xã Hải Phú", "3", "0", "0", "0"]]
    assert units_table["total"] == ["", "Tổng cộng", "4", "0", "0", "5.000.000"]
    assert ctx["appendix"]["annotation"] == "(Kèm theo Báo cáo số 01/BC-UBND ngày 05/02/2025 của UBND huyện Hải Lăng)"


def test_several_recipients_are_punctuated(commune_db):
    report = store.create_report(commune_db, H1_2025)
    report.recipients = ["Sở Khoa học và Công nghệ", "UBND huyện Hải Lăng"]
    report = store.save_report(commune_db, report)
    ctx = context.build_context(commune_db, report)
    assert not ctx["recipients_inline"]
    assert ctx["recipients"] == ["- Sở Khoa học và Công nghệ;", "- UBND huyện Hải Lăng."]


def test_redraft_never_overwrites_edits_silently(commune_db):
    report = store.create_report(commune_db, H1_2025)
    results = next(s for s in report.sections if s.key == "ket_qua")
    assesment = next(s for s in report.sections if s.key == "danh_gia")
    assesment.text = "Đánh giá do cán bộ tự viết."
    report = store.save_report(commune_db, report)
    commune_db.add("01/05/2025", "tin_bai", 6)  # the log changes
    changes = {c.key: c for c in store.redraft_changes(commune_db, report.id)}
    assert changes["ket_qua"].edited is False and "30 tin, bài" in changes["ket_qua"].proposed
    assert changes["danh_gia"].edited is True
    report = store.apply_redraft(commune_db, report.id)
    texts = {s.key: s.text for s in report.sections}
    assert "30 tin, bài" in texts["ket_qua"] and texts["ket_qua"] != results.text
    assert texts["danh_gia"] == "Đánh giá do cán bộ tự viết."
    report = store.apply_redraft(commune_db, report.id, {"danh_gia"})
    assert {s.key: s.text for s in report.sections}["danh_gia"].startswith("1. Ưu điểm")


def test_finalise_needs_number_and_signer_then_freezes(commune_db, tmp_path):
    report = store.create_report(commune_db, H1_2025)
    with pytest.raises(ValidationError) as info:
        store.finalise(commune_db, report.id, figures={}, files=[])
    assert info.value.fields == {"signer": "Hãy nhập họ tên người ký trước khi chốt."}
    report.signer = "Trần Văn Bình"
    report = store.save_report(commune_db, report)
    final = export.finalise(commune_db, report.id, tmp_path)
    assert final.status == store.STATUS_FINAL
    assert set(final.frozen["files"]) == {"BaoCao_01_6thang-2025.docx", "BaoCao_01_6thang-2025.xlsx"}
    assert export.changes_since_final(commune_db, final) == []
    with pytest.raises(UserError, match="đã chốt"):
        store.save_report(commune_db, final)

    commune_db.add("02/05/2025", "tin_bai", 5)  # the log of the period changes after sending
    changes = export.changes_since_final(commune_db, store.get_report(commune_db, report.id))
    assert changes[0].startswith("Tổng số hoạt động: đã gửi 4, nay là 5")
    assert any(line.startswith("Tin, bài, ảnh") and "đã gửi 24, nay là 29" in line for line in changes)
    # the figures as sent stay in the report's context
    ctx = context.build_context(commune_db, store.get_report(commune_db, report.id))
    assert ctx["appendix"]["tables"][0]["total"][4] == "4"

    with pytest.raises(ValidationError):
        store.reopen(commune_db, report.id, "  ")
    reopened = store.reopen(commune_db, report.id, "Bổ sung số liệu tháng 5")
    assert reopened.status == store.STATUS_DRAFT
    assert reopened.reopenings[0][:2] == ("Bổ sung số liệu tháng 5", "Lê Văn Hòa")


def test_signature_is_remembered_for_the_next_report(commune_db):
    report = store.create_report(commune_db, H1_2025)
    report.authority, report.title_lines, report.signer = "TM. ỦY BAN NHÂN DÂN", ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"], "Hồ Thị Lan"
    report.noi_nhan = ["- Như trên;", "- TT Huyện ủy (b/c);", "- Lưu: VT, VHTT."]
    store.save_report(commune_db, report)
    following = store.create_report(commune_db, periods.period_for("nam", 2025, rules="calendar"))
    assert following.title_lines == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    assert following.signer == "Hồ Thị Lan"
    assert following.noi_nhan[1] == "- TT Huyện ủy (b/c);"


def test_deleted_activities_are_not_counted(commune_db):
    ids = [a for a in commune_db.execute("SELECT id FROM activities WHERE form_code='hoi_nghi'")]
    delete_activities(commune_db, [ids[0][0]])
    report = store.create_report(commune_db, H1_2025)
    assert "hội nghị" not in next(s for s in report.sections if s.key == "ket_qua").text


def test_report_needs_a_profile(db):
    with pytest.raises(UserError, match="Thông tin đơn vị"):
        store.create_report(db, H1_2025)


def test_numbered_sentences_are_paragraphs_and_short_lines_headings(commune_db):
    report = store.create_report(commune_db, H1_2025)
    report.sections[0].text = "1. Ưu điểm\n1. Tiếp tục đẩy mạnh tuyên truyền.\na) Ngân sách xã\nb) còn lại;"
    report = store.save_report(commune_db, report)
    kinds = [p["kind"] for p in context.body_paragraphs(report.sections)[1:5]]
    assert kinds == ["h2", "body", "h3", "body"]


