"""Reading a batch of packages in two processes gives exactly what reading them here gives, in order;
a worker that fails or never starts changes nothing but the time."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from core import periods
from core.activities.service import KnownCodes
from core.package import reading
from core.package.export import export_package
from core.progress import Progress
from tests.e2e.package_helpers import open_at, setup_commune

PERIOD = periods.period_for("6thang", 2025)


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """Three communes' packages, a damaged one and a file that is not a package, on one stick."""
    base = tmp_path_factory.mktemp("lo")
    usb = base / "usb"
    usb.mkdir()
    files = []
    for number in range(3):
        db = open_at(base / f"xa{number}")
        setup_commune(db, base / f"anh{number}", name=f"Xã Hải Phú {number}", code=f"1{number}")
        files.append(export_package(db, PERIOD, usb).path)
        known = KnownCodes.load(db)
        db.close()
    damaged = usb / "hong.cdsx"
    damaged.write_bytes(files[0].read_bytes()[:-300])
    other = usb / "ghi_chu.txt"
    other.write_text("không phải gói")
    return [files[0], damaged, files[1], other, files[2]], known


def plain(results) -> list:
    return [(r.file, r.message) if isinstance(r, reading.Unreadable)
            else (r.sha256, r.manifest, r.records, r.folded, r.keys) for r in results]  # fmt: skip


def test_two_processes_read_the_same_as_one(batch, monkeypatch):
    files, known = batch
    here = reading.read_all(files, known, frozenset(), Progress(), worker=False)
    monkeypatch.setattr(reading, "WORKER_FILE_BYTES", 0)  # these small packages count as a big batch
    started = []
    real = reading._start_pool
    monkeypatch.setattr(reading, "_start_pool", lambda: started.append(1) or real())
    both = reading.read_all(files, known, frozenset(), Progress())
    assert started == [1] and plain(both) == plain(here)
    kinds = [type(r).__name__ for r in both]
    assert kinds == ["ReadPackage", "Unreadable", "ReadPackage", "Unreadable", "ReadPackage"]
    assert "bị cắt cụt" in both[1].message or "hỏng" in both[1].message
    assert both[3].message.endswith("không phải gói dữ liệu (.cdsx) của phần mềm.")
    assert all(len(r.folded) == len(r.records.activities) for r in both if isinstance(r, reading.ReadPackage))


def test_a_package_received_before_skips_its_text_keys(batch):
    files, known = batch
    first = reading.read_package(files[0], known)
    again = reading.read_package(files[0], known, frozenset({first.sha256}))
    assert first.folded and again.folded is None and again.records == first.records


class FailingPool(ThreadPoolExecutor):
    """A worker whose every task fails (a crashed process looks the same from here)."""

    def submit(self, fn, /, *args, **kwargs):
        def broken():
            raise RuntimeError("the worker died")

        return super().submit(broken)


def test_a_failing_worker_is_read_around(batch, monkeypatch):
    files, known = batch
    here = reading.read_all(files, known, frozenset(), Progress(), worker=False)
    monkeypatch.setattr(reading, "WORKER_FILE_BYTES", 0)
    monkeypatch.setattr(reading, "_start_pool", lambda: FailingPool(max_workers=1))
    assert plain(reading.read_all(files, known, frozenset(), Progress())) == plain(here)
    monkeypatch.setattr(reading, "_start_pool", lambda: None)  # no second process at all
    assert plain(reading.read_all(files, known, frozenset(), Progress())) == plain(here)


def test_what_the_worker_process_sends_back_is_what_is_read_here(batch):
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    files, known = batch
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
        sent = [pool.submit(reading._read_in_worker, path, known, frozenset()).result() for path in files[:2]]
    assert plain(sent) == plain([reading.read_package(path, known) for path in files[:2]])


def test_the_sender_s_search_texts_and_sort_keys_are_taken_when_made_by_the_same_rules(batch, monkeypatch):
    from core.text import TEXT_KEYS_VERSION

    files, known = batch
    computed = reading.read_package(files[0], known)  # worked out here, as a check below
    assert computed.manifest["text_keys"] == TEXT_KEYS_VERSION

    def never(*_args):
        raise AssertionError("the keys were sent: nothing to work out")

    monkeypatch.setattr(reading, "text_keys", never)
    sent = reading.read_package(files[0], known)
    activities = sent.records.activities
    assert sent.folded == [a["search_text"] for a in activities] and sent.keys == [a["title_key"] for a in activities]
    monkeypatch.undo()
    expected = reading.text_keys(*[[a[k] for a in activities] for k in ("title", "content", "channel", "notes", "link")])
    assert (sent.folded, sent.keys) == tuple(expected)  # the sender's stored keys are what we would make


@pytest.mark.parametrize("change", ["older rules", "missing", "not text", "too long"])
def test_keys_made_otherwise_or_malformed_are_worked_out_here(change):
    from core.text import TEXT_KEYS_VERSION

    manifest = {"text_keys": TEXT_KEYS_VERSION}
    activity = {"search_text": "hoi nghi", "title_key": "IOJ"}
    if change == "older rules":
        manifest["text_keys"] = TEXT_KEYS_VERSION - 1
    elif change == "missing":
        del activity["title_key"]
    elif change == "not text":
        activity["search_text"] = 5
    else:
        activity["title_key"] = "A" * 5000
    assert reading._sent_keys(manifest, [activity]) == (None, None)
    assert reading._sent_keys({"text_keys": TEXT_KEYS_VERSION}, [{"search_text": "a", "title_key": "b"}]) == (["a"], ["b"])
