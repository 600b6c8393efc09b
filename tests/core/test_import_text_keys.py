"""The search texts and sort keys of a big import, from the worker process or, failing that, from here."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import Future

from core.activities.model import Activity
from core.activities.service import stored_row
from core.importers.text_keys import TextKeyWorker, text_keys

TITLES = ["Hội nghị Chuyển đổi số 2025", "Tập huấn A3", "", "Ứng dụng VNeID"]
CONTENT = ["", "cho Tổ công nghệ số", "", "đợt 2"]
CHANNEL = ["Loa", "", "", ""]
NOTES = ["", "", "", "đã đăng"]
LINKS = ["", "", "", "https://xa.gov.vn/a"]


def test_text_keys_are_what_a_stored_activity_holds():
    folded, keys = text_keys(TITLES, CONTENT, CHANNEL, NOTES, LINKS)
    for i, title in enumerate(TITLES):
        if not title:
            continue
        stored = stored_row(Activity(date_from=dt.date(2025, 3, 5), unit_id="u", form_code="f", title=title, content=CONTENT[i],
                                     channel=CHANNEL[i], notes=NOTES[i], link=LINKS[i]))  # fmt: skip
        assert (folded[i], keys[i]) == (stored["search_text"], stored["title_key"])


def test_the_worker_process_gives_the_same_keys():
    worker = TextKeyWorker()
    try:
        pending = worker.submit(TITLES, CONTENT, CHANNEL, NOTES, LINKS)
        assert pending is not None
        assert pending.result(timeout=120) == text_keys(TITLES, CONTENT, CHANNEL, NOTES, LINKS)
    finally:
        worker.close()


def test_without_a_worker_or_when_it_fails_the_keys_are_computed_here():
    expected = text_keys(TITLES, CONTENT, CHANNEL, NOTES, LINKS)
    worker = TextKeyWorker()
    worker.close()
    assert worker.submit(TITLES, CONTENT, CHANNEL, NOTES, LINKS) is None  # closed: no worker
    assert TextKeyWorker.result(None, TITLES, CONTENT, CHANNEL, NOTES, LINKS) == expected
    failed = Future()
    failed.set_exception(RuntimeError("the worker died"))
    assert TextKeyWorker.result(failed, TITLES, CONTENT, CHANNEL, NOTES, LINKS) == expected
