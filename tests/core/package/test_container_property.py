"""Whatever a .cdsx file holds — hostile member names, random bytes, a package cut short or with bits
flipped, a manifest with fields missing or of the wrong type, records that lie — opening and receiving
it ends in the package as it was sent or in a PackageError with a Vietnamese message, and the
receiving database is left byte for byte as it was."""

from __future__ import annotations

import copy
import hashlib
import json
import struct
import tempfile
import unicodedata
import warnings
import zipfile
from pathlib import Path

import pytest
from hypothesis import event, example, given, settings, strategies as st
from hypothesis.control import currently_in_test_context

from core.activities.service import KnownCodes
from core.package import receive
from core.package.container import open_package
from core.package.package_error import REASONS, PackageError
from core.package.records import read_records
from core.package.safe_write import unsafe_name_reason
from tests.e2e.package_helpers import commune_package, dump, open_at, setup_district

NAME = "BaoCao_XaHaiPhu_6thang_2025.cdsx"
VIETNAMESE = set("ăâđêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ")


@pytest.fixture(scope="module")
def good(tmp_path_factory) -> dict:
    """One real package of a commune (with an evidence file), as bytes, its manifest and members."""
    path = commune_package(tmp_path_factory.mktemp("xa"))
    with zipfile.ZipFile(path) as archive:
        members = {info.orig_filename: archive.read(info) for info in archive.infolist()}
    manifest = json.loads(members.pop("manifest.json"))
    return {"bytes": path.read_bytes(), "manifest": manifest, "members": members}


class District:
    """The receiving database, opened once: every example must leave it (and its folder) as it was."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.db = open_at(folder)
        setup_district(self.db)
        self.known = KnownCodes.load(self.db)

    def files(self) -> dict[str, bytes]:
        """Every file beside and below the database, with its bytes (the -shm index aside: reads use it)."""
        return {str(p.relative_to(self.folder)): p.read_bytes() for p in sorted(self.folder.rglob("*"))
                if p.is_file() and not p.name.endswith("-shm")}  # fmt: skip


@pytest.fixture(scope="module")
def district(tmp_path_factory):
    place = District(tmp_path_factory.mktemp("huyen"))
    yield place
    place.db.close()


@pytest.fixture(scope="module")
def expected(good, district):
    """What receiving the package untouched gives: its records and what merging would do."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / NAME
        path.write_bytes(good["bytes"])
        with open_package(path) as package:
            records = read_records(package, district.known)
        found = receive.preview(district.db, [path], accept_new_units=True)
    assert found.refused == [] and len(found.packages) == 1
    return records, _counts(found.packages[0])


def _counts(preview) -> tuple:
    return preview.new, preview.changed, preview.unchanged, preview.deleted, preview.conflicts, len(preview.new_units)


def receive_ends_cleanly(district: District, expected, data: bytes, same_data: bool = True) -> str | None:
    """Open, check and preview ``data`` as a package: the refusal's cause, or None when it is received
    (with the very data that was sent, unless ``same_data`` is False: records edited on purpose)."""
    before, files = dump(district.db), district.files()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / NAME
        path.write_bytes(data)
        cause = None
        try:
            with open_package(path) as package:
                records = read_records(package, district.known)
        except PackageError as refused:  # anything else fails the test: a crash, not a refusal
            assert refused.cause in REASONS and refused.file == NAME
            assert str(refused).startswith(f"Tệp “{NAME}” ") and VIETNAMESE & set(str(refused).lower())
            cause = refused.cause
        found = receive.preview(district.db, [path], accept_new_units=True)  # refuses, never raises
    if currently_in_test_context():  # what the examples came to: --hypothesis-show-statistics
        event(f"refused: {cause}" if cause else "refused by the unit checks" if found.refused else "received")
    assert dump(district.db) == before and district.files() == files  # checking writes nothing
    if cause is not None:
        assert found.packages == [] and len(found.refused) == 1 and found.refused[0].file == NAME
        assert found.refused[0].reason.startswith(f"Tệp “{NAME}” ")
        return cause
    if found.refused:  # the container and the records pass; the units may still be refused
        assert found.refused[0].reason.startswith(f"Tệp “{NAME}” ") and VIETNAMESE & set(found.refused[0].reason)
        return "units"
    if same_data:
        assert records == expected[0], "a damaged package was received with other data than was sent"
        assert _counts(found.packages[0]) == expected[1]
    return None


def build(manifest: dict | bytes, entries: list[tuple[str, bytes]]) -> bytes:
    """A zip of manifest.json then ``entries`` as given (any names, duplicates too), as bytes."""
    blob = manifest if isinstance(manifest, bytes) else json.dumps(manifest, ensure_ascii=False).encode("utf-8")
    with tempfile.TemporaryFile() as handle, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate names some examples want
        with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in [("manifest.json", blob), *entries]:
                info = zipfile.ZipInfo("x", (2025, 6, 25, 8, 30, 0))
                info.filename = name  # as given: ZipInfo would turn "\\" into "/" on Windows
                archive.writestr(info, data, zipfile.ZIP_DEFLATED)
        handle.seek(0)
        return handle.read()


def listing(members: dict[str, bytes]) -> dict:
    return {name: {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)} for name, data in members.items()}


def test_the_package_rebuilt_as_it_was_is_received(good, district, expected):
    assert receive_ends_cleanly(district, expected, good["bytes"]) is None
    rebuilt = build(good["manifest"], list(good["members"].items()))
    assert receive_ends_cleanly(district, expected, rebuilt) is None


# --- member names ----------------------------------------------------------------------------------

HOSTILE_NAMES = [
    "../minh_chung/thu.sh", "../../etc/passwd", "a/../../b", "/etc/cron.d/thu", "//server/share/x", "C:/Windows/x",
    "C:x", "c:\\boot.ini", "evidence\\..\\x", "\\\\?\\C:\\x", "CON", "con.json", "data/Aux.tar.gz", "NUL", "nul.txt",
    "COM1", "LPT9.json", "CONIN$", "conout$.x", "PRN ", "a/./b", "a//b", "a/", "./a", "x.", "x ", " x", "evidence/",
    "evidence/.", "a:b", "a*b", "a?b", 'a"b', "a<b", "a>b", "a|b", "ACTIVITIES.JSON", "Units.json",
    "evidence/" + "A" * 64, "evidence/" + "0" * 64, "report.json", "report/bao_cao.docx", "plans.json.", "tên/ảnh.jpg",
    "te\u0302\u0301n.txt", "t\u00eanfile", "a\u202eb.txt", "a\u200bb", "a\x7fb", "a\nb", "\t", "x" * 201, "é" * 200,
    "manifest.json", "MANIFEST.JSON", "Manifest.json", "mani\ufb00est.json", "",
]  # fmt: skip
name_part = st.one_of(
    st.sampled_from(["..", ".", "", "CON", "aux.txt", "évidence", "a ", "b.", "C:", "x\\y", "NUL.tar.gz", "lpt1",
                     "COM9.json", "evidence", "report", "ảnh"]),
    st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=12),
)  # fmt: skip
member_name = st.one_of(
    st.sampled_from(HOSTILE_NAMES),
    st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=40),
    st.lists(name_part, min_size=1, max_size=4).map("/".join),
    st.integers(150, 600).map(lambda n: "a" * n),
    st.tuples(st.sampled_from(["/", "C:", "\\\\srv\\", "../", "D:\\"]), st.text(max_size=10)).map("".join),
).filter(lambda name: "\x00" not in name)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(member_name, st.binary(max_size=40), st.booleans()), min_size=1, max_size=3))
@example([("../minh_chung/thu.sh", b"echo", True)])
@example([("ACTIVITIES.JSON", b"[]", True)])
@example([("report/bao_cao.docx", b"PK", True)])
@example([("evidence/" + "0" * 64, b"MZ", True)])
def test_any_member_name_is_refused_unless_safe_and_new(good, district, expected, extra):
    """Extra members with any names, listed in the manifest (with their true hash) or not."""
    members = dict(good["members"])
    entries = list(members.items()) + [(name, data) for name, data, _listed in extra]
    listed = {**members, **{name: data for name, data, is_listed in extra if is_listed}}
    manifest = {**good["manifest"], "members": listing(listed)}
    cause = receive_ends_cleanly(district, expected, build(manifest, entries))

    seen, first_problem = set(), None
    for name, _data in [("manifest.json", b""), *entries]:
        key = unicodedata.normalize("NFC", name).casefold()
        if unsafe_name_reason(name):
            first_problem = first_problem or "unsafe_name"
        elif key in seen:
            first_problem = first_problem or "duplicate"
        seen.add(key)
    if first_problem:
        assert cause == first_problem
    elif any(not is_listed for _name, _data, is_listed in extra):
        assert cause == "unlisted"
    else:  # safe, new and listed: taken, unless the name means something to the records
        assert cause is None or (cause in ("record", "member_json") and any(
            name.startswith(("evidence/", "report")) for name, _data, _listed in extra))  # fmt: skip


# --- damaged bytes -----------------------------------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(st.one_of(st.binary(max_size=4000), st.binary(max_size=400).map(b"PK\x03\x04".__add__),
                 st.binary(max_size=400).map(lambda tail: b"PK\x05\x06" + tail)))  # fmt: skip
@example(b"")
@example(b"PK\x05\x06" + bytes(18))  # an empty zip
def test_random_bytes_are_refused(good, district, expected, data):
    assert receive_ends_cleanly(district, expected, data) is not None


def _zip64_end(offset: int) -> bytes:
    """A zip whose ZIP64 end record puts the central directory at ``offset`` (anywhere, up to 2**64 - 1)."""
    with tempfile.TemporaryFile() as handle:
        with zipfile.ZipFile(handle, "w") as archive:
            archive.writestr("manifest.json", b"{}")
        handle.seek(0)
        raw = handle.read()
    end = raw.rfind(b"PK\x05\x06")
    size = struct.unpack_from("<I", raw, end + 12)[0]
    record = struct.pack("<4sQ2H2L4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, 1, 1, size, offset)
    locator = struct.pack("<4sLQL", b"PK\x06\x07", 0, end, 1)
    return raw[:end] + record + locator + struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF,
                                                      0xFFFFFFFF, 0)  # fmt: skip


@pytest.mark.parametrize("offset", [0, 1 << 40, (1 << 63) - 1, 1 << 63, (1 << 64) - 1])
def test_a_zip64_end_record_pointing_anywhere_is_refused(good, district, expected, offset):
    assert receive_ends_cleanly(district, expected, _zip64_end(offset)) is not None


@settings(max_examples=120, deadline=None)
@given(st.data())
def test_a_package_cut_short_anywhere_is_refused(good, district, expected, data):
    size = data.draw(st.integers(0, len(good["bytes"]) - 1))
    assert receive_ends_cleanly(district, expected, good["bytes"][:size]) is not None


def _structure(raw: bytes) -> list[int]:
    """Where the zip's headers are (local headers, central directory, end record): flips there hurt most."""
    offsets = []
    for signature, length in ((b"PK\x03\x04", 30), (b"PK\x01\x02", 46), (b"PK\x05\x06", 22)):
        start = raw.find(signature)
        while start >= 0:
            offsets.extend(range(start, min(start + length, len(raw))))
            start = raw.find(signature, start + 4)
    return offsets


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_a_package_with_flipped_bits_is_refused_or_received_exactly_as_sent(good, district, expected, data):
    raw = bytearray(good["bytes"])
    anywhere = st.integers(0, len(raw) - 1)
    position = st.one_of(anywhere, st.sampled_from(_structure(bytes(raw))))
    for offset, bit in data.draw(st.lists(st.tuples(position, st.integers(0, 7)), min_size=1, max_size=3)):
        raw[offset] ^= 1 << bit
    receive_ends_cleanly(district, expected, bytes(raw))


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_a_package_whose_header_fields_lie_is_refused_or_received_exactly_as_sent(good, district, expected, data):
    """Sizes, offsets, flags, methods and name lengths in the headers set to any 2- or 4-byte value."""
    raw = bytearray(good["bytes"])
    fields = []  # (offset, struct format) of every number in the headers
    for signature, layout in ((b"PK\x03\x04", [(4, "H"), (6, "H"), (8, "H"), (14, "I"), (18, "I"), (22, "I"),
                                                (26, "H"), (28, "H")]),
                              (b"PK\x01\x02", [(6, "H"), (8, "H"), (10, "H"), (16, "I"), (20, "I"), (24, "I"),
                                                (28, "H"), (30, "H"), (32, "H"), (38, "I"), (42, "I")]),
                              (b"PK\x05\x06", [(4, "H"), (6, "H"), (8, "H"), (10, "H"), (12, "I"), (16, "I"),
                                                (20, "H")])):  # fmt: skip
        start = raw.find(signature)
        while start >= 0:
            fields.extend((start + offset, "<" + kind) for offset, kind in layout)
            start = raw.find(signature, start + 4)
    for offset, kind in data.draw(st.lists(st.sampled_from(fields), min_size=1, max_size=2)):
        value = data.draw(st.one_of(st.sampled_from([0, 1, 0xFFFF, 0xFFFFFFFF, 0x7FFFFFFF, 8, 9, 12, 99]),
                                    st.integers(0, 0xFFFF if kind == "<H" else 0xFFFFFFFF)))  # fmt: skip
        struct.pack_into(kind, raw, offset, value & (0xFFFF if kind == "<H" else 0xFFFFFFFF))
    receive_ends_cleanly(district, expected, bytes(raw))


# --- the manifest --------------------------------------------------------------------------------------

scalar = st.one_of(st.none(), st.booleans(), st.integers(-(10**20), 10**20), st.floats(allow_nan=False),
                   st.text(max_size=20))  # fmt: skip
json_value = st.one_of(
    st.sampled_from(["cdsx", "CDSX", "zip", 0, 1, 2, 3, -1, True, 2.0, "2", "", "0.1.0", "9" * 50, [], {},
                     "2025-06-25T08:30:00Z", "2025-13-45T00:00:00", "2025-06-25", "\x00", "a" * 100]),
    st.recursive(scalar, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                 st.dictionaries(st.text(max_size=6), inner, max_size=3)),
                 max_leaves=6),
)  # fmt: skip
TOP_KEYS = ["format", "format_version", "app_version", "created_at", "members", "unit", "period", "counts", "report"]
ENTRY_KEYS = ["sha256", "size"]


@st.composite
def manifest_changes(draw, good: dict):
    manifest = copy.deepcopy(good["manifest"])
    names = sorted(good["members"])
    for _ in range(draw(st.integers(1, 3))):
        where = draw(st.sampled_from(["top", "entry", "entry_field", "listed", "unit", "period"]))
        value = draw(json_value)
        drop = draw(st.integers(0, 3)) == 0
        if where == "top":
            key = draw(st.one_of(st.sampled_from(TOP_KEYS), st.text(max_size=8)))
            manifest.pop(key, None) if drop else manifest.__setitem__(key, value)
        elif where in ("unit", "period") and isinstance(manifest.get(where), dict):
            key = draw(st.sampled_from(sorted(manifest[where]) + ["id", "name", "year", "start"]))
            manifest[where].pop(key, None) if drop else manifest[where].__setitem__(key, value)
        elif isinstance(manifest.get("members"), dict):
            members = manifest["members"]
            name = draw(st.sampled_from(names))
            if where == "entry":
                members.pop(name, None) if drop else members.__setitem__(name, value)
            elif where == "entry_field" and isinstance(members.get(name), dict):
                key = draw(st.sampled_from(ENTRY_KEYS))
                changed = draw(st.one_of(json_value, st.integers(-2, 2).map(lambda d, k=key, n=name: (
                    good["manifest"]["members"][n]["size"] + d) if k == "size" else "0" * 63 + str(d % 10))))
                members[name].pop(key, None) if drop else members[name].__setitem__(key, changed)
            elif where == "listed":  # a member listed that the zip does not hold
                members[draw(member_name)] = draw(st.one_of(json_value, st.just({"sha256": "0" * 64, "size": 1})))
    return manifest


raw_manifest = st.one_of(
    st.sampled_from([b"", b"null", b"[]", b'"cdsx"', b"NaN", b"1e999", b"[" * 10000, b"{" * 3000, b"\xff\xfe{}",
                     b'{"format": "cdsx", "format": "zip"}', b'{"format": "cdsx", "format_version": 99999999999999999999}',
                     b'{"format": "cdsx", "format_version": 3, "app_version": "\\u0000\\u202e9.9"}']),  # fmt: skip
    st.binary(max_size=200),
    json_value.map(lambda value: json.dumps(value).encode()),
)


@settings(max_examples=120, deadline=None)
@given(st.data())
def test_a_manifest_with_any_fields_is_refused_plainly_or_the_package_is_received_as_sent(good, district, expected,
                                                                                          data):  # fmt: skip
    if data.draw(st.integers(0, 4)) == 0:
        manifest = data.draw(st.one_of(raw_manifest, st.just(b"\xef\xbb\xbf" + json.dumps(good["manifest"]).encode())))
    else:
        manifest = data.draw(manifest_changes(good))
    receive_ends_cleanly(district, expected, build(manifest, list(good["members"].items())))


# --- records that lie, listed with their true hashes -----------------------------------------------------

stamp = st.sampled_from(["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00", "2025-02-30T00:00:00Z",
                         "2025-06-20T25:00:00", "2025-06-20T08:00:00.123456789+07:00", "2025-06-20T08:00:00+24:00",
                         "0000-00-00T00:00:00Z", "2025-06-20T08:00:00+07:00"])  # fmt: skip
record_value = st.one_of(json_value, stamp)


def _edit_records(value, path: list, new, drop: bool):
    """Set (or drop) ``new`` at ``path`` of nested lists/dicts, stopping where the path runs out."""
    def key_of(target, step):
        if isinstance(target, dict):
            return step if step in target else sorted(target)[len(step) % len(target) if isinstance(step, str)
                                                             else step % len(target)]  # fmt: skip
        return step % len(target) if isinstance(step, int) else 0

    target = value
    for step in path[:-1]:
        if not isinstance(target, (dict, list)) or not target:
            return
        target = target[key_of(target, step)]
    if isinstance(target, dict) and target:
        key = key_of(target, path[-1])
        target.pop(key) if drop else target.__setitem__(key, new)
    elif isinstance(target, list) and target:
        target[key_of(target, path[-1])] = new


@settings(max_examples=120, deadline=None)
@given(st.sampled_from(["units.json", "activities.json", "plans.json"]),
       st.lists(st.tuples(st.lists(st.integers(0, 30), min_size=1, max_size=4), record_value, st.booleans()),
                min_size=1, max_size=3))  # fmt: skip
@example("activities.json", [([0, "updated_at"], "0001-01-01T00:00:00+01:00", False)])  # OverflowError in UTC
@example("units.json", [([0, "updated_at"], "9999-12-31T23:59:59-01:00", False)])
@example("plans.json", [(["plans", 0, "created_at"], "0001-01-01T00:30:00+01:00", False)])
def test_records_that_lie_are_refused_plainly(good, district, expected, member, edits):
    members = dict(good["members"])
    value = json.loads(members[member])
    for path, new, drop in edits:
        _edit_records(value, path, new, drop)
    members[member] = json.dumps(value, ensure_ascii=False).encode("utf-8")
    manifest = {**good["manifest"], "members": listing(members)}
    cause = receive_ends_cleanly(district, expected, build(manifest, list(members.items())), same_data=False)
    assert cause in (None, "record", "member_json", "units")  # member_json: json.dumps wrote Infinity
