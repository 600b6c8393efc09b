"""What the officer is looking at: date range, forms, topics, unit, funding, search text."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from core.text import fold

# Sortable columns -> SQL expression over the alias "a".
SORT_EXPRESSIONS = {
    "date": "a.date_from",
    "title": "a.title_key",
    "unit": "(SELECT sort_key FROM units WHERE units.id = a.unit_id)",
    "form": "(SELECT sort_order FROM taxonomy WHERE kind = 'form' AND code = a.form_code)",
    "channel": "a.channel",
    "quantity": "a.quantity",
    "duration": "a.duration_minutes",
    "participants": "a.participants",
    "cost": "a.cost",
    "funding": "(SELECT sort_order FROM taxonomy WHERE kind = 'funding' AND code = a.funding_code)",
    "updated": "a.updated_at",
}


@dataclass(frozen=True)
class ActivityFilter:
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    form_codes: tuple[str, ...] = ()
    topic_codes: tuple[str, ...] = ()
    unit_id: str | None = None
    include_subunits: bool = True
    unit_ids: tuple[str, ...] = ()  # several units (a target's, or the officer's choice), with subordinates unless
    # include_subunits is off
    funding_codes: tuple[str, ...] = ()
    search: str = ""
    in_trash: bool = False

    def covering_index(self) -> str:
        """Index hint for totals, statistics and number sorts.

        The date index carries every figure the totals bar sums, so reading it
        alone beats the table (1,000,000 rows: 0.2 s instead of 3 s). SQLite's
        planner does not see that without statistics; topic and search filters, and a
        form over all the years, are narrower through their own indexes.
        """
        if self.in_trash or self.topic_codes or fold(self.search):
            return ""
        if self.form_codes and not (self.date_from or self.date_to):
            return ""  # a form over all the years: its own index reads fewer rows
        # a form within a period: the date index holds form_code too (1,000,000 rows, a year of
        # a common form: 0.08 s instead of 0.25 s warm, 2.5 s cold through the form index)
        return "INDEXED BY activities_by_date"

    def fts_query(self) -> str:
        """FTS5 query: every folded word must be in the activity's text; the last
        one may be cut short, as it is while the officer is still typing it."""
        words = fold(self.search).split()
        return " ".join([f'"{word}"' for word in words[:-1]] + [f'"{word}"*' for word in words[-1:]])

    def where(self) -> tuple[str, list]:
        """SQL condition over alias "a", with its parameters."""
        clauses = ["a.deleted_at IS NOT NULL" if self.in_trash else "a.deleted_at IS NULL"]
        params: list = []
        if self.date_from:
            clauses.append("a.date_from >= ?")
            params.append(self.date_from.isoformat())
        if self.date_to:
            clauses.append("a.date_from <= ?")
            params.append(self.date_to.isoformat())
        if self.form_codes:
            clauses.append(f"a.form_code IN ({','.join('?' * len(self.form_codes))})")
            params.extend(self.form_codes)
        if self.funding_codes:
            clauses.append(f"a.funding_code IN ({','.join('?' * len(self.funding_codes))})")
            params.extend(self.funding_codes)
        if self.topic_codes:
            clauses.append(
                "a.id IN (SELECT activity_id FROM activity_topics WHERE topic_code IN "
                f"({','.join('?' * len(self.topic_codes))}))"
            )
            params.extend(self.topic_codes)
        if self.unit_id:
            if self.include_subunits:
                clauses.append(
                    "a.unit_id IN (WITH RECURSIVE tree(id) AS (SELECT ? UNION "
                    "SELECT units.id FROM units JOIN tree ON units.parent_id = tree.id) "
                    "SELECT id FROM tree)"
                )
            else:
                clauses.append("a.unit_id = ?")
            params.append(self.unit_id)
        if self.unit_ids:
            if self.include_subunits:
                clauses.append(
                    "a.unit_id IN (WITH RECURSIVE tree(id) AS (SELECT value FROM json_each(?) UNION "
                    "SELECT units.id FROM units JOIN tree ON units.parent_id = tree.id) SELECT id FROM tree)"
                )
            else:
                clauses.append("a.unit_id IN (SELECT value FROM json_each(?))")
            params.append(json.dumps(list(self.unit_ids)))
        query = self.fts_query()
        if query:
            clauses.append(
                "a.id IN (SELECT rowid FROM activity_search WHERE activity_search MATCH ?)"
            )
            params.append(query)
        return " AND ".join(clauses), params
