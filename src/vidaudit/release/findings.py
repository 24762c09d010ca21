"""The VA6xx findings of a release diff (rules declared in :mod:`vidaudit.rules.release`).

Each finding points at the thing in the *new* release (the split entry the video
moved into, the template entry, the first changed event), or, for a removed
video, at its key in the *previous* release's events file. The identity is the
video id, so a baseline that accepts a move survives edits elsewhere.
"""

from __future__ import annotations

from vidaudit.config import Config
from vidaudit.model import Finding
from vidaudit.release.diff import ReleaseDiff
from vidaudit.values import show


def diff_findings(diff: ReleaseDiff, config: Config) -> list[Finding]:
    selection = config.selection
    was = f"in {diff.old_label}"
    findings: list[Finding] = []
    for move in diff.split_moves:
        for entry in move.entered:
            findings.append(Finding(
                code="VA601", severity=config.severity_of("VA601"),
                message=f"video {move.video_id} is in the {entry.group} split but was in "
                        f"{' and '.join(move.old)} {was}",
                file=entry.file, pointer=entry.pointer, video_id=move.video_id,
                identity=move.video_id))
    for removal in diff.removed:
        where = f" ({', '.join(removal.splits)})" if removal.splits else ""
        findings.append(Finding(
            code="VA602", severity=config.severity_of("VA602"),
            message=f"video {removal.video_id}{where} with {removal.n_events} events {was} is "
                    "gone",
            file=removal.file, pointer=removal.pointer, video_id=removal.video_id,
            identity=removal.video_id, extra={"at_key": True}))
    for move in diff.template_moves:
        for entry in move.entered:
            old = " and ".join(show(t, limit=80) for t in move.old)
            findings.append(Finding(
                code="VA603", severity=config.severity_of("VA603"),
                message=f"video {move.video_id} is listed under {show(entry.group, limit=80)} "
                        f"but was under {old} {was}",
                file=entry.file, pointer=entry.pointer, video_id=move.video_id,
                identity=move.video_id))
    for change in diff.event_changes:
        findings.append(Finding(
            code="VA604", severity=config.severity_of("VA604"),
            message=f"events of video {change.video_id} changed since {diff.old_label}: "
                    f"{change.summary()}",
            file=change.file, pointer=change.pointer, video_id=change.video_id,
            identity=change.video_id))
    return [f for f in findings if f.code in selection]
