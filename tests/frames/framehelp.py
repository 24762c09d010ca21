"""Small helpers shared by the frames tests (imported as a plain module)."""

from __future__ import annotations

import csv
import io
from typing import Any


def codes(report: dict[str, Any], prefix: str = "VA4") -> list[str]:
    return sorted(f["code"] for f in report["findings"] if f["code"].startswith(prefix))


def of(report: dict[str, Any], code: str) -> list[dict[str, Any]]:
    return [f for f in report["findings"] if f["code"] == code]


def manifest_csv(rows: list[dict[str, Any]], columns: tuple[str, ...] = (
        "video_id", "frame_count", "width", "height")) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(["" if r.get(c) is None else r.get(c) for c in columns] for r in rows)
    return buffer.getvalue()
