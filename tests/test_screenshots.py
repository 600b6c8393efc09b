"""tools/make_screenshots.py makes every picture the guide shows, and the guide and README point only at real files."""

from __future__ import annotations

import importlib.util
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HELP = ROOT / "resources" / "help"
PNG = b"\x89PNG\r\n\x1a\n"


def load_tool():
    """tools/ is not a package: the script is loaded from its file (once)."""
    if "make_screenshots" not in sys.modules:
        spec = importlib.util.spec_from_file_location("make_screenshots", ROOT / "tools" / "make_screenshots.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # its dataclass looks itself up there
        spec.loader.exec_module(module)
    return sys.modules["make_screenshots"]


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.images: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "img":
            self.images.append(values.get("src") or "")
        elif tag == "a" and values.get("href"):
            self.links.append(values["href"])
        elif tag == "link" and values.get("href"):
            self.links.append(values["href"])


def links_of(page: Path) -> Links:
    parser = Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def test_the_script_writes_every_screenshot(qapp, tmp_path):
    from PySide6.QtGui import QImage

    tool = load_tool()
    before = (qapp.applicationName(), qapp.organizationName(), qapp.font().family())
    shots = tool.main(tmp_path, activities=300)
    assert sorted(s.path.name for s in shots) == sorted(tool.IMAGES)
    for name in tool.IMAGES:
        path = tmp_path / name
        data = path.read_bytes()
        assert data.startswith(PNG) and len(data) > 3000, name
        image = QImage(str(path))
        assert not image.isNull() and 300 <= image.width() <= tool.MAX_WIDTH and image.height() >= 250, name
    assert (qapp.applicationName(), qapp.organizationName(), qapp.font().family()) == before  # the app as it was


def test_every_picture_and_link_of_the_guide_exists():
    from gui.help_window import PAGES

    tool = load_tool()
    pages = sorted(HELP.glob("*.html"))
    assert sorted(p.name for p in pages) == sorted(PAGES)  # every page is in the contents list
    shown = set()
    for page in pages:
        found = links_of(page)
        assert found.images or page.name == "tro_giup.html"
        for src in found.images:
            assert src.startswith("images/") and (HELP / src).is_file() and (HELP / src).stat().st_size > 0, src
            shown.add(Path(src).name)
        for href in found.links:
            if not re.match(r"^[a-z]+:", href):  # a page or the style sheet of the guide
                assert (HELP / href.partition("#")[0]).is_file(), f"{page.name}: {href}"
    assert shown <= set(tool.IMAGES)  # every picture the guide shows is made by the script, so it stays current
    assert sum(p.stat().st_size for p in (HELP / "images").glob("*.png")) < 2_000_000


def test_readme_officer_section_comes_after_the_two_commands_and_its_pictures_exist():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = [m.start() for m in re.finditer(r"```bash", text)]
    officers = text.index("## Dành cho cán bộ")
    assert len(commands) >= 2 and commands[1] < officers
    pictures = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text)
    assert pictures and all(p.startswith("resources/help/images/") for p in pictures)
    for picture in pictures:
        assert (ROOT / picture).is_file(), picture


def test_the_screenshots_show_an_officer_s_own_log_not_demo_data(tmp_path):
    import datetime as dt

    from core.demo_removal import has_demo

    db, _commune = load_tool().make_database(tmp_path / "so.db", 200, dt.date(2026, 11, 20))
    try:
        assert not has_demo(db)  # no yellow demo bar in the pictures
        assert db.execute("SELECT count(*) FROM activities WHERE origin = 'demo'").fetchone()[0] == 0
    finally:
        db.close()
