"""Command line: backups and checks (registered by core/cli.py).

backup [OUT]   a verified copy in sao_luu/ beside the database, or into OUT (a folder or a .db file)
restore FILE   put a backup in place of the database (the current one is backed up first)
check          integrity, counts, the last backup; exit 1 when the database is damaged
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from core.text import format_number


def add_parsers(sub, common) -> None:
    backup = sub.add_parser("backup", parents=[common], help="sao lưu dữ liệu (mặc định vào thư mục sao_luu)")
    backup.add_argument("out", nargs="?", type=Path, metavar="NƠI_GHI", help="thư mục hoặc tệp .db để ghi bản sao lưu")
    backup.add_argument("--usb", action="store_true",
                        help="ghi một tệp .cdsbak gồm dữ liệu và mọi tệp minh chứng vào thư mục NƠI_GHI (ổ USB)")  # fmt: skip
    restore = sub.add_parser("restore", parents=[common], help="khôi phục dữ liệu từ một bản sao lưu")
    restore.add_argument("file", type=Path, metavar="TỆP_SAO_LƯU", help="tệp sao lưu .db hoặc .cdsbak")
    sub.add_parser("check", parents=[common], help="kiểm tra dữ liệu: toàn vẹn, số lượng, lần sao lưu gần nhất")


def _size(size: int) -> str:
    from core.package.safe_write import format_size

    return format_size(size)


def cmd_backup(db, args, out) -> int:
    from core.activities.evidence import db_file
    from core.backup import backup_before, backup_to

    if args.usb:
        from core.backup_usb import write_usb_backup

        if args.out is None:
            from core.cli import UsageError

            raise UsageError("--usb cần nơi ghi, ví dụ: backup E:/ --usb")
        written = write_usb_backup(db, args.out)
        out.write(f"Đã sao lưu {format_number(written.activities)} hoạt động và {format_number(written.files)} tệp "
                  f"minh chứng vào {written.path} ({_size(written.path.stat().st_size)}).\n")  # fmt: skip
        return 0
    if args.out is None:
        path = backup_before(db, "sao-luu")
    else:
        target = args.out
        if target.is_dir() or not target.suffix:
            stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
            target = target / f"{db_file(db).stem}-{stamp}.db"
        path = backup_to(db, target)
    out.write(f"Đã sao lưu vào {path} ({_size(path.stat().st_size)}).\n")
    return 0


def cmd_check(db_path: Path, args, out) -> int:
    from core.restore import check_database

    result = check_database(db_path)
    backup = result.last_backup
    if getattr(args, "format", "table") == "json":
        json.dump({"ok": result.ok, "integrity": result.integrity, "counts": result.counts,
                   "last_backup": None if backup is None else {"file": str(backup.path),
                                                               "taken_at": backup.taken_at.isoformat(timespec="seconds"),
                                                               "activities": backup.activities},
                   "problems": result.problems, "warnings": result.warnings}, out, ensure_ascii=False, indent=1)  # fmt: skip
        out.write("\n")
        return 0 if result.ok else 1
    out.write(f"Tệp dữ liệu: {db_path}\n")
    out.write(f"Kiểm tra toàn vẹn: {'đạt' if result.integrity == 'ok' else result.integrity}\n")
    labels = {"activities": "hoạt động", "trash": "trong thùng rác", "units": "đơn vị", "reports": "báo cáo",
              "plans": "kế hoạch"}  # fmt: skip
    out.write("Số lượng: " + ", ".join(f"{format_number(v)} {labels[k]}" for k, v in result.counts.items()) + "\n")
    if backup is not None:
        out.write(f"Sao lưu gần nhất: {backup.taken_at:%d/%m/%Y %H:%M} ({backup.path.name}, "
                  f"{format_number(backup.activities or 0)} hoạt động)\n")  # fmt: skip
    for line in result.problems + result.warnings:
        out.write(f"Lưu ý: {line}\n")
    return 0 if result.ok else 1


def cmd_restore(db_path: Path, args, out) -> int:
    from core.backup_usb import SUFFIX, restore_usb_backup
    from core.restore import check_backup, restore

    if args.file.suffix.lower() == SUFFIX:
        before = restore_usb_backup(db_path, args.file)
        out.write(f"Đã khôi phục dữ liệu và tệp minh chứng từ {args.file.name}.\n")
    else:
        info = check_backup(args.file)
        before = restore(db_path, args.file, checked=info)
        out.write(f"Đã khôi phục từ {args.file.name} ({format_number(info.activities)} hoạt động).\n")
    if before is not None:
        out.write(f"Dữ liệu trước khi khôi phục được giữ ở {before}.\n")
    return 0
