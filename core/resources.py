"""Files shipped in resources/ (beside the code, or inside the frozen bundle)."""

from __future__ import annotations

import json
import sys
from functools import lru_cache
from pathlib import Path


def resources_dir() -> Path:
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(name: str) -> Path:
    return resources_dir() / name


@lru_cache(maxsize=None)
def load_json(name: str):
    with open(resource_path(name), encoding="utf-8") as handle:
        return json.load(handle)
