"""Writing the audit's files, each atomically, ``audit.json`` last.

    OUTPUT_DIR/
      index.html        the audit report a person reads (links everything below)
      report.html       every finding, browsable (the HTML report of `check --format html`)
      report.json       every finding, VA6xx included (the JSON report contract)
      diff.md           the release diff, for people (and code review)
      diff.json         the release diff, for programs
      checksums.sha256  the input files, for `sha256sum -c`
      gx/               Great Expectations: suites, validation results, Data Docs
      audit.json        tool, options, inputs, verdict, timings, and the outputs' hashes
"""

from __future__ import annotations

import datetime
import hashlib
import json
import platform
import sys
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

from vidaudit import __version__
from vidaudit.audit import checksums
from vidaudit.audit.run import Audit
from vidaudit.audit.summary import AuditOptions, verdict
from vidaudit.output import check_outside, write_atomic
from vidaudit.release.render import diff_dict, diff_markdown
from vidaudit.reporters import RenderOptions

AUDIT_VERSION = 1


def prepare_output_dir(out_dir: Path, protected: list[Path], allow: bool) -> None:
    check_outside(out_dir, protected, allow)
    if out_dir.exists() and not out_dir.is_dir():
        from vidaudit.errors import UsageError

        raise UsageError(f"--output-dir {out_dir} is a file, not a folder")
    out_dir.mkdir(parents=True, exist_ok=True)


def _write(out_dir: Path, name: str, content: str | bytes | Iterable[str],
           written: dict[str, str]) -> None:
    """Write ``content`` (whole, or in parts as they are made: the report of a full-size
    release is 120 MB) and keep its digest."""
    digest = hashlib.sha256()

    def hashed(parts: Iterable[str | bytes]) -> Iterator[bytes]:
        for part in parts:
            data = part.encode("utf-8") if isinstance(part, str) else part
            digest.update(data)
            yield data

    write_atomic(out_dir / name, hashed([content] if isinstance(content, str | bytes)
                                        else content))
    written[name] = digest.hexdigest()


def write_outputs(audit: Audit, out_dir: Path, options: AuditOptions) -> dict[str, str]:
    """Write every file; return name -> sha256 of what was written."""
    from vidaudit.audit import html
    from vidaudit.reporters import html as html_report
    from vidaudit.reporters import json_report

    written: dict[str, str] = dict(audit.gx.files) if audit.gx is not None else {}
    with audit.steps.step("write", f"Writing {out_dir}"):
        result = audit.result
        report_path = out_dir / "report.json"
        _write(out_dir, "report.json",
               json_report.render_parts(result, RenderOptions(output=str(report_path))), written)
        _write(out_dir, "diff.json",
               json.dumps(diff_dict(audit.diff), indent=1, ensure_ascii=False) + "\n", written)
        _write(out_dir, "diff.md", diff_markdown(audit.diff), written)
        run_from = Path.cwd()
        _write(out_dir, "checksums.sha256",
               checksums.render(_checksum_inputs(audit), run_from, out_dir / "checksums.sha256",
                                media=options.frames or options.videos), written)
        _write(out_dir, "report.html", html_report.render(result, RenderOptions(
            output=str(out_dir / "report.html"), frame_dir=options.frames)), written)
        _write(out_dir, "index.html", html.render(audit, options, report_html="report.html"),
               written)
    document = audit_document(audit, options, written)
    write_atomic(out_dir / "audit.json", json.dumps(document, indent=1, ensure_ascii=False)
                 + "\n")
    return written


def _checksum_inputs(audit: Audit) -> list[checksums.Input]:
    rows = []
    for row in audit.inputs():
        on_disk = not str(row["path"]).startswith("git:")
        rows.append(checksums.Input(row["path"], row.get("sha256"), on_disk,
                                    row.get("git_blob")))
    return rows


def audit_document(audit: Audit, options: AuditOptions, written: dict[str, str]
                   ) -> dict[str, Any]:
    diff = audit.diff
    timings = {**audit.steps.timings,
               **{f"check.{k}": round(v, 3) for k, v in audit.result.timings.items()}}
    gx: dict[str, Any] = audit.gx.summary() if audit.gx is not None else {"skipped": True}
    return {
        "audit_version": AUDIT_VERSION,
        "tool": {"name": "vidaudit", "version": __version__},
        "started_at": _iso(options.started),
        "finished_at": _iso(datetime.datetime.now(datetime.UTC).timestamp()),
        "options": {k: v for k, v in asdict(options).items() if k != "started"},
        "releases": {"current": _release(audit.new), "previous": _release(audit.old)},
        "inputs": audit.inputs(),
        "verdict": verdict(audit),
        "diff": {"added": len(diff.added), "removed": len(diff.removed),
                 "split_moves": len(diff.split_moves),
                 "template_moves": len(diff.template_moves),
                 "event_changes": len(diff.event_changes), "notes": diff.notes},
        "great_expectations": gx,
        "timings": timings,
        "outputs": [{"path": name, "sha256": digest} for name, digest in sorted(written.items())],
        "environment": {"python": platform.python_version(), "platform": sys.platform,
                        **_versions()},
    }


def _release(release: Any) -> dict[str, Any]:
    return {"label": release.label, "root": release.root, "git": release.git}


def _versions() -> dict[str, str]:
    from importlib import metadata

    found = {}
    for name in ("pandas", "pandera", "great_expectations"):
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return found


def _iso(timestamp: float) -> str:
    return datetime.datetime.fromtimestamp(timestamp, datetime.UTC).isoformat(
        timespec="seconds")
