"""Reports in the database: drafts saved as the officer types, numbering, finalising, reopening."""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid as uuidlib
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils

from core import history, periods, settings, units
from core.clock import now_iso
from core.errors import NotFoundError, UserError, ValidationError
from core.files import file_sha256
from core.reports import draft, figures as figures_mod
from core.text import nfc

STATUS_DRAFT = "draft"
STATUS_FINAL = "final"
_PLACE_PREFIX = re.compile(r"^(xã|phường|thị trấn|đặc khu|huyện|quận|thị xã|thành phố|tỉnh)\s+", re.IGNORECASE)


@dataclass
class Section:
    key: str
    heading: str
    text: str
    drafted: str

    @property
    def edited(self) -> bool:
        return self.text != self.drafted


@dataclass
class Report:
    id: int
    uuid: str
    unit_id: str
    period: periods.Period
    doc_number: int | None
    doc_symbol: str
    doc_date: dt.date
    agency_parent: str
    agency_name: str
    place: str
    summary: str
    recipients: list[str]
    sections: list[Section]
    authority: str
    title_lines: list[str]
    signer: str
    noi_nhan: list[str]
    status: str = STATUS_DRAFT
    finalised_at: str | None = None
    frozen: dict | None = None
    reopenings: list[tuple[str, str, str]] = field(default_factory=list)  # (reason, officer, at)

    @property
    def number_text(self) -> str:
        """"05/BC-UBND" (leading zero below 10), or "…/BC-UBND" before a number is given."""
        number = f"{self.doc_number:02d}" if self.doc_number else "…"
        return f"{number}/{self.doc_symbol}"


def place_of(unit_name: str) -> str:
    """"Xã Hải Phú" -> "Hải Phú" (the place written before the date)."""
    return _PLACE_PREFIX.sub("", nfc(unit_name)).strip()


def agency_of(unit: units.Unit) -> str:
    """The issuing agency as printed: "ỦY BAN NHÂN DÂN XÃ HẢI PHÚ"."""
    if unit.level in ("xa", "huyen", "tinh"):
        return f"ỦY BAN NHÂN DÂN {unit.name}".upper()
    return unit.name.upper()


def next_number(db: sqlite_utils.Database, year: int, symbol: str = "BC-UBND") -> int:
    """The next free number for the year (numbers restart at 01 each year)."""
    row = db.execute(
        "SELECT max(doc_number) FROM reports WHERE substr(doc_date, 1, 4) = ? AND doc_symbol = ?",
        [str(year), symbol],
    ).fetchone()
    return (row[0] or 0) + 1


DEFAULT_SIGNATURE = {"authority": "TM. ỦY BAN NHÂN DÂN", "title_lines": ["CHỦ TỊCH"], "signer": ""}


def issuing_unit(db: sqlite_utils.Database, what: str) -> tuple[settings.Profile, units.Unit, str]:
    """(profile, unit, agency as printed) of the unit issuing a document; ``what`` is "báo cáo", "kế hoạch"…"""
    profile, unit = units.own_profile_and_unit(db, f"lập {what}")
    return profile, unit, agency_of(unit)


def create_report(db: sqlite_utils.Database, period: periods.Period, *, today: dt.date | None = None) -> Report:
    """A new draft for ``period``: header from the profile, text drafted from the log."""
    today = today or dt.date.today()
    profile, unit, agency = issuing_unit(db, "báo cáo")
    outline = draft.outline()
    figs = figures_mod.compute(db, unit_id=unit.id, period=period, security_topic=outline["security_topic"])
    texts = draft.draft_sections(figs, period_label=period.label, year=period.year, agency=agency_in_sentence(agency))
    sections = [
        {"key": s["key"], "heading": s["heading"], "text": texts[s["key"]], "drafted": texts[s["key"]]}
        for s in outline["sections"]
    ]
    signature = settings.get(db, "report_signature_last") or dict(DEFAULT_SIGNATURE)
    noi_nhan = signature.get("noi_nhan") or ["- Như trên;", "- Lưu: VT."]
    header = {
        "agency_parent": profile.parent_agency.upper(),
        "agency_name": agency,
        "place": place_of(unit.name),
        "summary": f"Kết quả công tác tuyên truyền chuyển đổi số {period.label}",
        "recipients": list(profile.recipients),
    }
    stamp = now_iso()
    with db.atomic():
        cursor = db.execute(
            "INSERT INTO reports (uuid, unit_id, kind, year, period_number, period_start, period_end, rules,"
            " doc_number, doc_symbol, doc_date, header, sections, signature, status, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [str(uuidlib.uuid4()), unit.id, period.kind, period.year, period.number,
             period.start.isoformat(), period.end.isoformat(), period.rules,
             next_number(db, today.year), "BC-UBND", today.isoformat(), _json(header), _json(sections),
             _json({"authority": signature["authority"], "title_lines": signature["title_lines"],
                    "signer": signature.get("signer", ""), "noi_nhan": noi_nhan}),
             STATUS_DRAFT, stamp, stamp],
        )  # fmt: skip
    return get_report(db, cursor.lastrowid)


def agency_in_sentence(agency: str) -> str:
    """"ỦY BAN NHÂN DÂN XÃ HẢI PHÚ" -> "UBND xã Hải Phú" for use inside a sentence."""
    if agency.startswith("ỦY BAN NHÂN DÂN "):
        rest = agency.removeprefix("ỦY BAN NHÂN DÂN ").split(" ", 1)
        return "UBND " + rest[0].lower() + (" " + rest[1].title() if len(rest) > 1 else "")
    return agency.title()


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def get_report(db: sqlite_utils.Database, report_id: int) -> Report:
    row = db.execute(
        "SELECT id, uuid, unit_id, kind, year, period_number, period_start, period_end, rules, doc_number,"
        " doc_symbol, doc_date, header, sections, signature, status, finalised_at, frozen"
        " FROM reports WHERE id = ?",
        [report_id],
    ).fetchone()
    if row is None:
        raise NotFoundError("Không tìm thấy báo cáo này (có thể đã bị xóa).")
    (rid, ruuid, unit_id, kind, year, number, start, end, rules, doc_number, symbol, doc_date,
     header, sections, signature, status, finalised_at, frozen) = row  # fmt: skip
    header, signature = json.loads(header), json.loads(signature)
    period = periods.Period(kind, year, number, dt.date.fromisoformat(start), dt.date.fromisoformat(end), rules)
    reopenings = db.execute(
        "SELECT reason, officer, reopened_at FROM report_reopenings WHERE report_id = ? ORDER BY id", [rid]
    ).fetchall()
    return Report(
        id=rid, uuid=ruuid, unit_id=unit_id, period=period, doc_number=doc_number, doc_symbol=symbol,
        doc_date=dt.date.fromisoformat(doc_date), agency_parent=header["agency_parent"],
        agency_name=header["agency_name"], place=header["place"], summary=header["summary"],
        recipients=header["recipients"], sections=[Section(**s) for s in json.loads(sections)],
        authority=signature["authority"], title_lines=signature["title_lines"], signer=signature["signer"],
        noi_nhan=signature["noi_nhan"], status=status, finalised_at=finalised_at,
        frozen=json.loads(frozen) if frozen else None, reopenings=[tuple(r) for r in reopenings],
    )  # fmt: skip


def _newest(db: sqlite_utils.Database, period: periods.Period, status: str) -> Report | None:
    """The newest report of ``status`` for exactly this period, if any."""
    row = db.execute(
        "SELECT id FROM reports WHERE status = ? AND kind = ? AND period_start = ? AND period_end = ?"
        " ORDER BY id DESC LIMIT 1",
        [status, period.kind, period.start.isoformat(), period.end.isoformat()],
    ).fetchone()
    return get_report(db, row[0]) if row else None


def find_draft(db: sqlite_utils.Database, period: periods.Period) -> Report | None:
    """The newest draft for exactly this period, if any."""
    return _newest(db, period, STATUS_DRAFT)


def find_final(db: sqlite_utils.Database, period: periods.Period) -> Report | None:
    """The newest finalised report for exactly this period, if any."""
    return _newest(db, period, STATUS_FINAL)


def list_reports(db: sqlite_utils.Database) -> list[Report]:
    ids = [r[0] for r in db.execute("SELECT id FROM reports ORDER BY period_start DESC, id DESC")]
    return [get_report(db, i) for i in ids]


def _lines(value) -> list[str]:
    if isinstance(value, str):
        value = value.splitlines()
    return [nfc(line) for line in value if nfc(line)]


def save_report(db: sqlite_utils.Database, report: Report) -> Report:
    """Save what the officer typed (called as they type). A finalised report is refused."""
    current = get_report(db, report.id)
    if current.status == STATUS_FINAL:
        raise UserError("Báo cáo đã chốt nên không sửa được; hãy “Mở lại” (ghi rõ lý do) nếu cần sửa.")
    errors = {}
    if report.doc_number is not None and not 1 <= report.doc_number <= 9999:
        errors["doc_number"] = "Số báo cáo phải từ 1 đến 9999."
    if not nfc(report.doc_symbol):
        errors["doc_symbol"] = "Hãy nhập ký hiệu, ví dụ BC-UBND."
    if errors:
        raise ValidationError(errors)
    header = {
        "agency_parent": nfc(report.agency_parent), "agency_name": nfc(report.agency_name),
        "place": nfc(report.place), "summary": nfc(report.summary), "recipients": _lines(report.recipients),
    }  # fmt: skip
    sections = [
        {"key": s.key, "heading": nfc(s.heading), "text": "\n".join(_lines(s.text)), "drafted": s.drafted}
        for s in report.sections
    ]
    signature = {
        "authority": nfc(report.authority), "title_lines": _lines(report.title_lines),
        "signer": nfc(report.signer), "noi_nhan": _lines(report.noi_nhan),
    }  # fmt: skip
    changes = _report_changes(current, report.doc_number, nfc(report.doc_symbol), report.doc_date, header,
                              sections, signature)  # fmt: skip
    with db.atomic():
        db.execute(
            "UPDATE reports SET doc_number = ?, doc_symbol = ?, doc_date = ?, header = ?, sections = ?,"
            " signature = ?, updated_at = ? WHERE id = ?",
            [report.doc_number, nfc(report.doc_symbol), report.doc_date.isoformat(), _json(header),
             _json(sections), _json(signature), now_iso(), report.id],
        )  # fmt: skip
        history.record_edit(db, "report_update", current.uuid, changes)
    settings.put(db, "report_signature_last", signature)
    return get_report(db, report.id)


_LABELS = {"doc_number": "Số", "doc_symbol": "Ký hiệu", "doc_date": "Ngày", "agency_parent": "Cơ quan cấp trên",
           "agency_name": "Tên cơ quan", "place": "Địa danh", "summary": "Trích yếu", "recipients": "Kính gửi",
           "authority": "Quyền hạn ký", "title_lines": "Chức vụ người ký", "signer": "Người ký",
           "noi_nhan": "Nơi nhận"}  # fmt: skip


def _report_changes(current: Report, number, symbol: str, day, header: dict, sections: list[dict],
                    signature: dict) -> dict:  # fmt: skip
    """{label: [old, new]} of what an edit changes (a section by its heading)."""
    before = {k: getattr(current, k) for k in _LABELS} | {"doc_date": current.doc_date.isoformat()}
    after = {"doc_number": number, "doc_symbol": symbol, "doc_date": day.isoformat(), **header, **signature}
    changes = {_LABELS[k]: [before[k], after[k]] for k in _LABELS if before[k] != after[k]}
    old_sections = {s.key: s for s in current.sections}
    for section in sections:
        old = old_sections.get(section["key"])
        if old is None or old.text != section["text"]:
            changes[section["heading"] or section["key"]] = [old.text if old else "", section["text"]]
    return changes


@dataclass(frozen=True)
class SectionChange:
    key: str
    heading: str
    current: str
    proposed: str
    edited: bool  # the officer changed this section: replacing it needs their consent


def redraft_changes(db: sqlite_utils.Database, report_id: int) -> list[SectionChange]:
    """What drafting again from the log would change, section by section (nothing is written)."""
    report = get_report(db, report_id)
    outline = draft.outline()
    figs = figures_mod.compute(db, unit_id=report.unit_id, period=report.period,
                               security_topic=outline["security_topic"])  # fmt: skip
    texts = draft.draft_sections(figs, period_label=report.period.label, year=report.period.year,
                                 agency=agency_in_sentence(report.agency_name))  # fmt: skip
    return [
        SectionChange(s.key, s.heading, s.text, texts[s.key], s.edited)
        for s in report.sections
        if s.key in texts and texts[s.key] != s.text
    ]


def apply_redraft(db: sqlite_utils.Database, report_id: int, keys: set[str] | None = None) -> Report:
    """Take the new draft for unedited sections, and for edited ones only when listed in ``keys``."""
    report = get_report(db, report_id)
    changes = {c.key: c for c in redraft_changes(db, report_id)}
    for section in report.sections:
        change = changes.get(section.key)
        if change and (not change.edited or (keys and section.key in keys)):
            section.text = change.proposed
        if change:
            section.drafted = change.proposed if section.text == change.proposed else section.drafted
    return save_report(db, report)


def check_finalisable(report: Report) -> None:
    """Raise what stops ``report`` from being finalised (before seconds of writing files)."""
    if report.status == STATUS_FINAL:
        raise UserError("Báo cáo này đã được chốt.")
    if not report.doc_number:
        raise ValidationError({"doc_number": "Hãy nhập số báo cáo trước khi chốt."})
    if not report.signer:
        raise ValidationError({"signer": "Hãy nhập họ tên người ký trước khi chốt."})


def finalise(db: sqlite_utils.Database, report_id: int, *, figures: dict, files: list[Path]) -> Report:
    """Chốt báo cáo: freeze the figures and text as sent, with the files' hashes."""
    report = get_report(db, report_id)
    check_finalisable(report)
    frozen = {
        "figures": figures,
        "files": {Path(f).name: file_sha256(f) for f in files},
        "sections": [s.text for s in report.sections],
    }
    with db.atomic():
        db.execute(
            "UPDATE reports SET status = ?, finalised_at = ?, frozen = ?, updated_at = ? WHERE id = ?",
            [STATUS_FINAL, now_iso(), _json(frozen), now_iso(), report_id],
        )
        history.record(db, "report_final", [(report.uuid, {"Tệp": [None, sorted(frozen["files"])]})])
    return get_report(db, report_id)


def reopen(db: sqlite_utils.Database, report_id: int, reason: str) -> Report:
    """Mở lại a finalised report; the reason is kept with who and when."""
    reason = nfc(reason)
    if not reason:
        raise ValidationError({"reason": "Hãy ghi lý do mở lại báo cáo đã chốt."})
    report = get_report(db, report_id)
    if report.status != STATUS_FINAL:
        raise UserError("Báo cáo này chưa chốt nên không cần mở lại.")
    profile = settings.load_profile(db)
    with db.atomic():
        db.execute(
            "INSERT INTO report_reopenings (report_id, reason, officer, reopened_at) VALUES (?, ?, ?, ?)",
            [report_id, reason, profile.officer_name if profile else "", now_iso()],
        )
        history.record(db, "report_reopen", [(report.uuid, {"Lý do": [None, reason]})])
        db.execute(
            "UPDATE reports SET status = ?, updated_at = ? WHERE id = ?", [STATUS_DRAFT, now_iso(), report_id]
        )
    return get_report(db, report_id)
