"""Timestamps stored in the database (UTC, ISO 8601, seconds)."""

import datetime as dt


def now_iso() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
