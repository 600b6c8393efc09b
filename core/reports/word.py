"""Render a report context into a Word document from a .docx template (docxtpl).

Templates are untrusted user files (a province's own form, edited in Word), so:

- Jinja runs in a ``SandboxedEnvironment`` with autoescape (``A & <B>`` stays text, never XML) and
  ``StrictUndefined`` (a misspelt field is an error with its name, not a silent blank);
- Word's smart quotes and non-breaking spaces inside ``{{ }}``, ``{% %}``, ``{# #}`` are repaired
  before parsing (only inside tags);
- every template problem becomes ``UserError("Mẫu báo cáo có lỗi: …")``, and nothing is written;
- the output is written to a temporary file in the target folder and moved over the target, so a
  failure never leaves half a file; a locked or unwritable target raises ``FileProblem``.

No Qt here.
"""

from __future__ import annotations

import io
import os
import secrets
import re
import zipfile
from pathlib import Path
from typing import Iterable

from jinja2 import StrictUndefined, TemplateSyntaxError
from jinja2.exceptions import SecurityError, TemplateError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment

from core.errors import FileProblem, UserError
from core.resources import resource_path

BUILTIN_TEMPLATE: Path = resource_path("templates/bao_cao.docx")

#: Alt-text title (w:tblCaption) prefix of the tables whose column widths are set from the content.
STATS_TABLE_CAPTION = "Bảng thống kê"

_QUOTES = str.maketrans({
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'",
    "\u00a0": " ", "\u2002": " ", "\u2003": " ", "\u2009": " ", "\u202f": " ",
})
# a tag opened by "{" and "{"/"%"/"#" split over runs: "{</w:t></w:r><w:r><w:t>%"
_SPLIT_OPEN = re.compile(r"(?<={)(<[^>]*>)+(?=[\{%\#])|(?<=[%\}\#])(<[^>]*>)+(?=\})", re.DOTALL)
_TAG = re.compile(r"{%(?:(?!%}).)*%}|{#(?:(?!#}).)*#}|{{(?:(?!}}).)*}}", re.DOTALL)


def repair_tags(xml: str) -> str:
    """Replace Word's typographic quotes and odd spaces inside template tags only."""
    xml = _SPLIT_OPEN.sub("", xml)
    return _TAG.sub(lambda m: m.group(0).translate(_QUOTES), xml)


def _environment() -> SandboxedEnvironment:
    return SandboxedEnvironment(autoescape=True, undefined=StrictUndefined)


def _docxtpl():
    from docxtpl import DocxTemplate

    class SafeTemplate(DocxTemplate):
        def patch_xml(self, src_xml):  # noqa: D401 - docxtpl hook
            return super().patch_xml(repair_tags(src_xml))

    return SafeTemplate


# --------------------------------------------------------------------------- messages

def _template_error(exc: BaseException) -> UserError:
    """A Vietnamese message for anything a bad template can raise."""
    where = ""
    context = getattr(exc, "docx_context", None)
    if context:
        near = " ".join(line.strip() for line in context if line and line.strip())
        near = re.sub(r"\s+", " ", near)[:160]
        if near:
            where = f" (gần đoạn: “{near}”)"
    if isinstance(exc, SecurityError):
        text = ("thẻ mẫu truy cập vào phần bị cấm của phần mềm; mẫu không được phép chạy lệnh. "
                "Hãy xóa thẻ đó khỏi mẫu")
    elif isinstance(exc, UndefinedError):
        message = str(exc)
        match = re.match(r"'(.+?)' is undefined", message)
        attr = re.match(r"'.+?' has no attribute '(.+?)'", message)
        if match:
            text = f"trường “{match.group(1)}” không có trong dữ liệu báo cáo"
        elif attr:
            text = f"trường “{attr.group(1)}” không có trong dữ liệu báo cáo"
        else:
            text = f"thẻ mẫu dùng dữ liệu không có ({message})"
    elif isinstance(exc, TemplateSyntaxError):
        text = f"thẻ mẫu viết sai cú pháp ({exc.message})"
    elif isinstance(exc, TemplateError):
        text = f"thẻ mẫu không dùng được ({exc})"
    elif isinstance(exc, OverflowError):
        text = "thẻ mẫu tạo vòng lặp quá lớn"
    else:
        text = f"{type(exc).__name__}: {exc}"
    return UserError(f"Mẫu báo cáo có lỗi: {text}{where}.")


def _open_template(template_path: str | os.PathLike | None):
    path = Path(template_path) if template_path is not None else BUILTIN_TEMPLATE
    if not path.is_file():
        raise FileProblem(f"Không tìm thấy tệp mẫu báo cáo “{path}”. Hãy chọn lại mẫu hoặc dùng mẫu có sẵn.")
    if not zipfile.is_zipfile(path):
        raise UserError(f"Tệp mẫu “{path.name}” không phải tệp Word .docx. "
                        "Hãy mở mẫu trong Word và lưu lại dạng “Word Document (*.docx)”.")
    try:
        template = _docxtpl()(str(path))
        template.init_docx()
    except Exception as exc:  # python-docx raises several kinds for a broken package
        raise UserError(f"Tệp mẫu “{path.name}” bị hỏng hoặc không phải tệp Word .docx hợp lệ "
                        f"({type(exc).__name__}).") from None
    return template


# --------------------------------------------------------------------------- inspection

def template_variables(template_path: str | os.PathLike | None = None) -> set[str]:
    """Top-level names the template uses (``agency``, ``body``…), Jinja's own globals excluded."""
    template = _open_template(template_path)
    env = _environment()
    try:
        names = template.get_undeclared_template_variables(jinja_env=env)
    except TemplateError as exc:
        raise _template_error(exc) from None
    return {name for name in names if name not in env.globals}


def _unknown_message(names: Iterable[str], known: Iterable[str]) -> str:
    listed = ", ".join("{{ " + name + " }}" for name in sorted(names))
    usable = ", ".join(sorted(known))
    return (f"Mẫu báo cáo có trường không có trong dữ liệu báo cáo: {listed}. "
            f"Hãy sửa hoặc xóa các trường này trong mẫu (các trường dùng được: {usable}).")


def check_template(template_path: str | os.PathLike | None = None, context: dict | None = None) -> list[str]:
    """Problems of a template, in Vietnamese; ``[]`` when it renders with ``context``.

    ``context`` defaults to the complete sample context (every key a report has). Unknown
    placeholders give one message per name; other problems (syntax, forbidden access, a missing
    sub-field) give the renderer's message.
    """
    if context is None:
        from core.reports.sample import sample_context

        context = sample_context()
    try:
        names = template_variables(template_path)
    except UserError as exc:
        return [str(exc)]
    unknown = sorted(names - set(context))
    if unknown:
        return [f"Trường “{{{{ {name} }}}}” không có trong dữ liệu báo cáo; hãy sửa hoặc xóa nó trong mẫu."
                for name in unknown]
    try:
        _render_bytes(context, template_path)
    except UserError as exc:
        return [str(exc)]
    return []


# --------------------------------------------------------------------------- rendering

_MM = 56.7  # twips per millimetre
_CELL_PAD_MM = 4.5  # Word's default cell margins (2 x 0.19 cm) and a little air


def _text_mm(text: str, size_pt: float, bold: bool) -> float:
    """Rough printed width of ``text`` in Times New Roman (good enough to share out columns)."""
    em = 0.0
    for ch in text:
        if ch.isspace():
            em += 0.25
        elif ch.isdigit():
            em += 0.5
        elif ch.isupper():
            em += 0.72
        elif ch.isalpha():
            em += 0.47
        else:
            em += 0.33
    return em * size_pt * 0.3528 * (1.06 if bold else 1.0)


def _cell_info(tc, qn) -> tuple[str, float, bool]:
    text = "".join(t.text or "" for t in tc.iter(qn("w:t"))).strip()
    size, bold = 12.0, False
    for rpr in tc.iter(qn("w:rPr")):
        sz = rpr.find(qn("w:sz"))
        if sz is not None and sz.get(qn("w:val")):
            size = int(sz.get(qn("w:val"))) / 2
        b = rpr.find(qn("w:b"))
        if b is not None and b.get(qn("w:val")) not in ("0", "false"):
            bold = True
        break
    return text, size, bold


def _fit_stats_tables(document) -> None:
    """Column widths from the content for the statistics tables (their columns are dynamic).

    Every column gets at least its longest word; long texts (the form's name) get the room
    that is left, so a nine-column table fits the landscape page without breaking words.
    """
    from docx.oxml.ns import qn

    for table in document.tables:
        tbl = table._tbl
        caption = tbl.tblPr.find(qn("w:tblCaption"))
        if caption is None or not (caption.get(qn("w:val")) or "").startswith(STATS_TABLE_CAPTION):
            continue
        rows = tbl.findall(qn("w:tr"))
        grid = tbl.tblGrid
        cols = grid.findall(qn("w:gridCol"))
        count = max((len(tr.findall(qn("w:tc"))) for tr in rows), default=0)
        if not count:
            continue
        tblW = tbl.tblPr.find(qn("w:tblW"))
        total = 0.0
        if tblW is not None and tblW.get(qn("w:type")) == "dxa":
            total = float(tblW.get(qn("w:w")) or 0) / _MM
        if total <= 0:
            total = sum(float(c.get(qn("w:w")) or 0) for c in cols) / _MM or 250.0
        minimum = [8.0] * count  # the longest word of the column
        header_3 = [0.0] * count  # the header on three lines
        header_2 = [0.0] * count  # the header on two lines
        body = [0.0] * count  # body texts on one line (long ones capped)
        for r_index, tr in enumerate(rows):
            for c_index, tc in enumerate(tr.findall(qn("w:tc"))[:count]):
                text, size, bold = _cell_info(tc, qn)
                longest = max((_text_mm(w, size, bold) for w in text.split()), default=0.0) + _CELL_PAD_MM
                full = _text_mm(text, size, bold) + _CELL_PAD_MM
                minimum[c_index] = max(minimum[c_index], longest)
                if r_index == 0:
                    header_3[c_index] = full / 3
                    header_2[c_index] = full / 2
                else:
                    body[c_index] = max(body[c_index], min(full, 110.0))
        if sum(minimum) >= total:
            widths = [m * total / sum(minimum) for m in minimum]
        else:
            # share the room out in order of need: words whole, headers on 3 then 2 lines,
            # body texts on one line, and what is left in proportion
            widths = list(minimum)
            for target in (header_3, header_2, body):
                extra = total - sum(widths)
                deficit = [max(t - w, 0.0) for t, w in zip(target, widths)]
                if extra <= 0 or not sum(deficit):
                    continue
                give = min(extra, sum(deficit))
                widths = [w + give * d / sum(deficit) for w, d in zip(widths, deficit)]
            extra = total - sum(widths)
            if extra > 0:
                widths = [w + extra * w / sum(widths) for w in widths]
        twips = [int(w * _MM) for w in widths]
        for col in cols:
            grid.remove(col)
        for width in twips:
            grid.append(grid.makeelement(qn("w:gridCol"), {qn("w:w"): str(width)}))
        for tr in rows:
            for tc, width in zip(tr.findall(qn("w:tc")), twips):
                tcPr = tc.get_or_add_tcPr()
                tcW = tcPr.find(qn("w:tcW"))
                if tcW is None:
                    tcW = tcPr.makeelement(qn("w:tcW"), {})
                    tcPr.insert(0, tcW)
                tcW.set(qn("w:w"), str(width))
                tcW.set(qn("w:type"), "dxa")


def _render_bytes(context: dict, template_path) -> bytes:
    template = _open_template(template_path)
    try:
        template.render(context, jinja_env=_environment(), autoescape=True)
        _fit_stats_tables(template.docx)
        buffer = io.BytesIO()
        template.save(buffer)
    except UserError:
        raise
    except Exception as exc:  # Jinja errors, and whatever else a user's template provokes
        raise _template_error(exc) from None
    return buffer.getvalue()


def _locked(path: Path) -> FileProblem:
    return FileProblem(f"Tệp “{path}” đang mở trong Word hoặc không ghi được; hãy đóng tệp rồi thử lại.")


def render_report(context: dict, out_path: str | os.PathLike, *,
                  template_path: str | os.PathLike | None = None) -> Path:
    """Render ``context`` (see core/reports/sample.py) with the template into ``out_path``.

    ``template_path`` defaults to the built-in template. Raises ``UserError`` for a bad template
    (with the list of unknown fields when there are any) and ``FileProblem`` when the target cannot
    be written; in both cases no file is left behind and an existing target is untouched.
    """
    out = Path(out_path)
    names = template_variables(template_path)
    unknown = names - set(context)
    if unknown:
        raise UserError(_unknown_message(unknown, context))
    data = _render_bytes(context, template_path)

    if not out.parent.is_dir():
        raise FileProblem(f"Thư mục “{out.parent}” không tồn tại; hãy chọn nơi lưu khác.")
    if out.is_dir():
        raise _locked(out)
    tmp_name = None
    try:
        name = out.parent / f".~{out.stem[:40]}.{secrets.token_hex(4)}.tmp"
        # created as any document is (the umask decides), not owner-only as mkstemp makes it
        fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
        tmp_name = str(name)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, out)
        tmp_name = None
    except OSError as exc:
        text = str(exc).lower()
        if getattr(exc, "errno", None) == 28 or "no space" in text or "disk full" in text:
            raise FileProblem(f"Ổ đĩa đã đầy nên chưa ghi được tệp “{out}”. "
                              "Hãy xóa bớt tệp không cần thiết hoặc chọn nơi lưu khác rồi thử lại.") from None
        raise _locked(out) from None
    finally:
        if tmp_name is not None:
            try:
                os.unlink(tmp_name)
            except OSError:
                pass
    return out

