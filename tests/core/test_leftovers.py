"""Temporary files of writes cut short go at the next start; finished files and fresh writes stay."""

from __future__ import annotations

import os
import time

from core.leftovers import MIN_AGE_SECONDS, remove_partial_files
from core.paths import evidence_dir, received_dir, reports_dir


def _file(path, age: float = MIN_AGE_SECONDS + 60):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x")
    then = time.time() - age
    os.utime(path, (then, then))
    return path


def test_only_old_unfinished_files_are_removed(tmp_path):
    db_path = tmp_path / "so.db"
    old = [_file(reports_dir(db_path) / ".~BaoCao_01.ab12.tmp"), _file(reports_dir(db_path) / ".BaoCao_01.1f2e.tmp"),
           _file(evidence_dir(db_path) / "ab" / "abcdef.jpg.tmp"), _file(received_dir(db_path) / "xa-1" / ".~bc.docx.partial"),
           _file(tmp_path / "so.db.khoi-phuc.tmp")]  # fmt: skip
    kept = [_file(reports_dir(db_path) / "BaoCao_01.docx"), _file(evidence_dir(db_path) / "ab" / "abcdef.jpg"),
            _file(reports_dir(db_path) / ".~BaoCao_02.cd34.tmp", age=5),  # being written right now
            _file(tmp_path / "ghi_chu.tmp")]  # not ours to judge  # fmt: skip
    assert remove_partial_files(db_path) == len(old)
    assert not any(p.exists() for p in old) and all(p.exists() for p in kept)
    assert remove_partial_files(db_path) == 0


def test_a_missing_data_folder_is_nothing_to_tidy(tmp_path):
    assert remove_partial_files(tmp_path / "chua_co" / "so.db") == 0
