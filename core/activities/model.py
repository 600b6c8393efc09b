"""An activity as the officer logs it (domain.md §2)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

ORIGIN_TYPED = "typed"
ORIGIN_IMPORTED = "imported"
ORIGIN_DEMO = "demo"
# the texts an activity's search text is made of, in this order (imports, packages and stored rows agree)
SEARCHED = ("title", "content", "channel", "notes", "link")

# Field names and their Vietnamese labels, in the order the dialog and exports show them.
FIELD_LABELS = {
    "date_from": "Ngày thực hiện",
    "date_to": "Đến ngày",
    "unit_id": "Đơn vị thực hiện",
    "form_code": "Hình thức",
    "topics": "Chủ đề",
    "title": "Tên, nội dung hoạt động",
    "content": "Mô tả chi tiết",
    "channel": "Kênh, phương tiện",
    "quantity": "Số lượng",
    "duration_minutes": "Thời lượng (phút)",
    "participants": "Số người tham dự/tiếp cận",
    "cost": "Kinh phí (đồng)",
    "funding_code": "Nguồn kinh phí",
    "link": "Đường dẫn",
    "notes": "Ghi chú",
}


@dataclass
class EvidenceFile:
    id: int
    file_name: str
    sha256: str
    size: int


@dataclass
class Activity:
    date_from: dt.date
    unit_id: str
    form_code: str
    title: str
    topics: list[str] = field(default_factory=list)
    date_to: dt.date | None = None
    content: str = ""
    channel: str = ""
    quantity: int | None = None
    duration_minutes: int | None = None
    participants: int | None = None
    cost: int | None = None
    funding_code: str | None = None
    link: str = ""
    notes: str = ""
    origin: str = ORIGIN_TYPED
    id: int | None = None
    uuid: str = ""
    created_at: str = ""
    updated_at: str = ""
    deleted_at: str | None = None
    evidence: list[EvidenceFile] = field(default_factory=list)

    def search_source(self) -> str:
        """The text the search box looks in."""
        return " ".join(getattr(self, name) for name in SEARCHED)
