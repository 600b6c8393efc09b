"""Writing a report's files (.docx, .xlsx, .pdf) and finalising it."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import sqlite_utils

from core.activities.filters import ActivityFilter
from core.errors import FileProblem, UserError
from core.progress import Progress
from core.reports import context as context_mod, store
from core.reports.activity_list import ActivityList
from core.text import format_number


def period_filter(report: store.Report) -> ActivityFilter:
    return ActivityFilter(date_from=report.period.start, date_to=report.period.end, unit_id=report.unit_id)


def write_files(
    db: sqlite_utils.Database,
    report_id: int,
    docx_path: Path,
    xlsx_path: Path | None = None,
    *,
    template: Path | None = None,
    progress: Progress | None = None,
) -> tuple[list[Path], dict]:
    """Render the report's Word file (and Excel file); returns the paths and the figures used."""
    from core.reports import excel, templates, word

    template = template or templates.active_template(db)
    report = store.get_report(db, report_id)
    with contextlib.ExitStack() as scratch:
        # the activity list is written (in worker processes when long) while the report is drafted
        rows = scratch.enter_context(ActivityList(db, period_filter(report), excel.row_style_ids())) \
            if xlsx_path else None  # fmt: skip
        figs = context_mod.current_figures(db, report)
        ctx = context_mod.build_context(db, report, figs)
        paths = [word.render_report(ctx, Path(docx_path), template_path=template)]
        if rows is not None:
            paths.append(excel.write_report_xlsx(Path(xlsx_path), ctx, rows, progress=progress))
    return paths, figs


def finalise(db, report_id: int, folder: Path, *, template: Path | None = None, progress=None) -> store.Report:
    """Chốt: write the files as sent into ``folder`` and freeze figures, text and hashes."""
    report = store.get_report(db, report_id)
    store.check_finalisable(report)
    base = Path(folder) / default_file_stem(report)
    paths, figs = write_files(db, report_id, base.with_suffix(".docx"), base.with_suffix(".xlsx"),
                              template=template, progress=progress)  # fmt: skip
    return store.finalise(db, report_id, figures=figs, files=paths)


def default_file_stem(report: store.Report) -> str:
    """A short FAT32-safe name: "BaoCao_05_6thang-2025"."""
    number = f"{report.doc_number:02d}" if report.doc_number else "du-thao"
    return f"BaoCao_{number}_{report.period.code}"


def changes_since_final(db: sqlite_utils.Database, report: store.Report) -> list[str]:
    """For a finalised report: how the log of its period differs from the figures as sent."""
    if not report.frozen:
        return []
    sent = report.frozen["figures"]
    now = context_mod.current_figures(db, store.Report(**{**report.__dict__, "frozen": None}))
    lines = []
    if sent["total"] != now["total"]:
        lines.append(
            f"Tổng số hoạt động: đã gửi {format_number(sent['total']['count'])}, nay là"
            f" {format_number(now['total']['count'])}; kinh phí: đã gửi {format_number(sent['total']['cost'])}"
            f" đồng, nay là {format_number(now['total']['cost'])} đồng."
        )
    sent_forms = {f["code"]: f for f in sent["forms"]}
    for form in now["forms"]:
        before = sent_forms.get(form["code"])
        if before and before["now"] != form["now"]:
            lines.append(
                f"{form['label']}: số lượng đã gửi {format_number(before['now']['quantity'])},"
                f" nay là {format_number(form['now']['quantity'])}."
            )
    return lines


# --- PDF -------------------------------------------------------------------------------


def pdf_converter() -> tuple[str | None, str]:
    """("word" | "libreoffice" | None, why not) — which program can make the PDF here."""
    if sys.platform == "win32" and shutil.which("powershell"):
        try:
            import winreg

            winreg.OpenKey(winreg.HKEY_CLASSES_ROOT, "Word.Application")
            return "word", ""
        except OSError:
            pass
    if _soffice():
        return "libreoffice", ""
    return None, ("Máy này chưa có Microsoft Word hoặc LibreOffice để chuyển sang PDF. "
                  "Hãy cài LibreOffice (miễn phí) hoặc mở tệp Word rồi chọn “Lưu thành PDF”.")  # fmt: skip


def _soffice() -> str | None:
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for candidate in (r"C:\Program Files\LibreOffice\program\soffice.exe",
                      r"C:\Program Files (x86)\LibreOffice\program\soffice.exe"):  # fmt: skip
        if os.path.exists(candidate):
            return candidate
    return None


def to_pdf(docx_path: Path, pdf_path: Path | None = None, *, timeout: int = 120) -> Path:
    """Convert with Word (Windows) or LibreOffice; raises UserError saying why not."""
    docx_path = Path(docx_path)
    pdf_path = Path(pdf_path) if pdf_path else docx_path.with_suffix(".pdf")
    kind, why = pdf_converter()
    if kind is None:
        raise UserError(why)
    try:
        if kind == "word":
            script = (
                "$w = New-Object -ComObject Word.Application; $w.Visible = $false;"
                f"$d = $w.Documents.Open('{docx_path}', $false, $true);"
                f"$d.SaveAs([ref]'{pdf_path}', [ref]17); $d.Close($false); $w.Quit()"
            )
            subprocess.run(["powershell", "-NoProfile", "-Command", script], check=True, timeout=timeout,
                           capture_output=True)  # fmt: skip
        else:
            with tempfile.TemporaryDirectory() as work:
                profile = Path(work) / "profile"
                subprocess.run(
                    [_soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless",
                     "--convert-to", "pdf", "--outdir", work, str(docx_path)],
                    check=True, timeout=timeout, capture_output=True,
                )  # fmt: skip
                produced = Path(work) / (docx_path.stem + ".pdf")
                if not produced.exists():
                    raise UserError("LibreOffice không tạo được tệp PDF; hãy mở tệp Word rồi lưu thành PDF.")
                shutil.move(str(produced), pdf_path)
    except subprocess.TimeoutExpired:
        raise UserError("Chuyển sang PDF quá lâu nên đã dừng; hãy thử lại hoặc lưu PDF từ Word.") from None
    except subprocess.CalledProcessError as exc:
        raise UserError(f"Không chuyển được sang PDF ({kind}): {exc.stderr.decode(errors='replace')[:200]}") from None
    except OSError as exc:
        raise FileProblem(f"Không ghi được tệp PDF “{pdf_path.name}”: {exc.strerror or exc}.") from None
    return pdf_path
