"""The rotating log beside the database, and the copy for support."""

from __future__ import annotations

import logging
import sqlite3

from core.logs import FILE_NAME, logs_dir, setup_logging, support_copy


def test_errors_go_to_the_log_file_and_the_support_copy_takes_them(db, db_path, tmp_path):
    log_file = setup_logging(db_path)
    try:
        logging.getLogger("so_tuyen_truyen").error("không ghi được: ổ đầy")
        for handler in logging.getLogger().handlers:
            handler.flush()
        assert log_file == logs_dir(db_path) / FILE_NAME
        assert "không ghi được: ổ đầy" in log_file.read_text(encoding="utf-8")
        usb = tmp_path / "usb"
        usb.mkdir()
        plain = support_copy(db_path, usb)
        assert sorted(p.name for p in plain.iterdir()) == [FILE_NAME]
        with_data = support_copy(db_path, usb / "kem", with_database=True, db=db)
        copy = with_data / db_path.name
        assert copy.is_file() and sqlite3.connect(copy).execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        for handler in list(logging.getLogger().handlers):
            if getattr(handler, "baseFilename", "").endswith(FILE_NAME):
                logging.getLogger().removeHandler(handler)
                handler.close()


def test_a_folder_that_cannot_take_a_log_is_no_reason_to_stop(tmp_path):
    blocked = tmp_path / "chi_doc"
    blocked.write_text("một tệp, không phải thư mục")  # nhat_ky cannot be made under a file
    assert setup_logging(blocked / "so.db") is None
