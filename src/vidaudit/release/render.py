"""A release diff as data (``diff.json``) and as Markdown a person reads (``diff.md``).

Every string from the dataset is untrusted: in Markdown it is shown as a JSON
string with ``< > & | ` *`` escaped, so that no template name can become a link,
an HTML tag or a table column.
"""

from __future__ import annotations

from typing import Any

from vidaudit.release.diff import EventChange, ReleaseDiff, Removal
from vidaudit.values import MISSING, show

MAX_LISTED = 200
"""Longer lists are cut in the Markdown (diff.json always has everything)."""


def diff_dict(diff: ReleaseDiff) -> dict[str, Any]:
    return {
        "previous": diff.old_label,
        "current": diff.new_label,
        "totals": {k: {"before": a, "after": b} for k, (a, b) in diff.totals.items()},
        "splits": {s: {k: {"before": a, "after": b} for k, (a, b) in counts.items()}
                   for s, counts in diff.split_counts.items()},
        "templates": [{"template": t, "before": a, "after": b}
                      for t, (a, b) in diff.template_counts.items()],
        "added": diff.added,
        "removed": [{"video_id": r.video_id, "events": r.n_events, "splits": list(r.splits),
                     "templates": list(r.templates)} for r in diff.removed],
        "split_moves": [{"video_id": m.video_id, "before": list(m.old), "after": list(m.new)}
                        for m in diff.split_moves],
        "template_moves": [{"video_id": m.video_id, "before": list(m.old),
                            "after": list(m.new)} for m in diff.template_moves],
        "event_changes": [_change_dict(c) for c in diff.event_changes],
        "notes": diff.notes,
    }


def _change_dict(change: EventChange) -> dict[str, Any]:
    return {
        "video_id": change.video_id, "before": change.old_count, "after": change.new_count,
        "added": list(change.added), "removed": list(change.removed),
        "edited": [{"before_index": e.old_index, "after_index": e.new_index,
                    "fields": {name: {"before": _json(a), "after": _json(b)}
                               for name, a, b in e.fields}} for e in change.edited],
    }


def _json(value: Any) -> Any:
    return None if value is MISSING else value


def md(text: str) -> str:
    """Untrusted text, safe inside Markdown (and a table cell)."""
    out = text
    for char, escaped in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("|", "\\|"),
                          ("`", "\\`"), ("*", "\\*"), ("_", "\\_"), ("[", "\\["),
                          ("]", "\\]")):
        out = out.replace(char, escaped)
    return out


def _name(text: str) -> str:
    return md(show(text, limit=120))


def _vid(video_id: str) -> str:
    return md(video_id if len(video_id) <= 40 and video_id.isprintable() else show(video_id))


def _delta(before: int, after: int) -> str:
    change = after - before
    return "" if change == 0 else f"{change:+,}"


def diff_markdown(diff: ReleaseDiff) -> str:
    lines = [f"# Release diff: {md(diff.old_label)} → {md(diff.new_label)}", ""]
    if not diff.changed:
        lines += ["No video, split, template or event changed.", ""]
    for note in diff.notes:
        lines.append(f"> Note: {md(note)}")
    if diff.notes:
        lines.append("")
    lines += ["## Totals", "", "| | before | after | change |", "|---|---:|---:|---:|"]
    for key, (before, after) in diff.totals.items():
        lines.append(f"| {key} | {before:,} | {after:,} | {_delta(before, after)} |")
    lines += ["", "## Splits", "",
              "| split | videos before | videos after | change | events before | "
              "events after | change |", "|---|---:|---:|---:|---:|---:|---:|"]
    for split, counts in diff.split_counts.items():
        (vb, va), (eb, ea) = counts["videos"], counts["events"]
        lines.append(f"| {split} | {vb:,} | {va:,} | {_delta(vb, va)} | {eb:,} | {ea:,} | "
                     f"{_delta(eb, ea)} |")
    lines.append("")
    lines += _section(
        "Videos that moved between splits", diff.split_moves,
        lambda m: f"- {_vid(m.video_id)}: {' + '.join(m.old)} → {' + '.join(m.new)}",
        "A model trained on the previous train split has seen every video that moved out "
        "of it (VA601).")
    lines += _section("Videos removed", diff.removed, _removal_line)
    lines += _section("Videos added", diff.added, lambda v: f"- {_vid(v)}")
    lines += _section(
        "Template changes", diff.template_moves,
        lambda m: f"- {_vid(m.video_id)}: {' + '.join(map(_name, m.old))} → "
                  f"{' + '.join(map(_name, m.new))}")
    lines += _section("Event changes", diff.event_changes, _change_lines)
    changed = [(t, a, b) for t, (a, b) in diff.template_counts.items() if a != b]
    lines += [f"## Videos per template ({len(diff.template_counts)} templates, "
              f"{len(changed)} changed)", ""]
    if diff.template_counts:
        lines += ["| template | before | after | change |", "|---|---:|---:|---:|"]
        for template, (before, after) in diff.template_counts.items():
            lines.append(f"| {_name(template)} | {before:,} | {after:,} | "
                         f"{_delta(before, after)} |")
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _section(title: str, items: list[Any], line: Any, intro: str = "") -> list[str]:
    lines = [f"## {title} ({len(items):,})", ""]
    if not items:
        return [*lines, "None.", ""]
    if intro:
        lines += [intro, ""]
    for item in items[:MAX_LISTED]:
        produced = line(item)
        lines.extend(produced if isinstance(produced, list) else [produced])
    if len(items) > MAX_LISTED:
        lines.append(f"- … and {len(items) - MAX_LISTED:,} more (see diff.json)")
    return [*lines, ""]


def _removal_line(removal: Removal) -> str:
    details = [f"{removal.n_events} events", *removal.splits, *map(_name, removal.templates)]
    return f"- {_vid(removal.video_id)} ({', '.join(details)})"


def _change_lines(change: EventChange) -> list[str]:
    lines = [f"- {_vid(change.video_id)}: {change.summary()}"]
    for edit in change.edited:
        fields = ", ".join(f"{md(name)} {_value(a)} → {_value(b)}" for name, a, b in edit.fields)
        lines.append(f"  - event {edit.old_index}"
                     f"{'' if edit.old_index == edit.new_index else f' (now {edit.new_index})'}"
                     f": {fields}")
    if change.added:
        lines.append(f"  - added: event{'s' if len(change.added) > 1 else ''} "
                     f"{', '.join(map(str, change.added))}")
    if change.removed:
        lines.append(f"  - removed: event{'s' if len(change.removed) > 1 else ''} "
                     f"{', '.join(map(str, change.removed))} of the previous list")
    return lines


def _value(value: Any) -> str:
    return "(missing)" if value is MISSING else md(show(value, limit=40))
