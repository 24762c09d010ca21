"""The HTML report as a file: where it goes, what it embeds, what it refuses to embed."""

from __future__ import annotations

import base64
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import cv2
import numpy as np
import pytest

from reports.datasets import (
    HOSTILE_ACTION,
    HOSTILE_ID,
    HOSTILE_TEMPLATE,
    Flawed,
    check,
    flawed_release,
    load_json,
    move_off_frame,
    write_frames,
)
from vidaudit.graphics.thumbnails import THUMB_WIDTH, frame_path
from vidaudit.reporters import html as html_report


class Page(HTMLParser):
    """Every tag with its attributes, the text, and the raw contents of script blocks."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._in_script: dict[str, str | None] | None = None
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._in_script = dict(attrs)
            self.scripts.append((self._in_script, ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = None

    def handle_data(self, data: str) -> None:
        if self._in_script is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)
        else:
            self.text.append(data)

    def attributes(self, name: str) -> list[str]:
        return [a[name] or "" for _, a in self.tags if name in a]

    def findings_data(self) -> dict[str, object]:
        (data,) = [t for a, t in self.scripts if a.get("id") == "findings-data"]
        loaded: dict[str, object] = json.loads(data)
        return loaded


def render(capsys: pytest.CaptureFixture[str], folder: Path, out: Path,
           *extra: str) -> tuple[int, str]:
    code, _ = check(capsys, str(folder), "--format", "html", "-o", str(out), *extra)
    return code, out.read_text(encoding="utf-8")


def test_html_goes_to_reports_by_default(flawed: Flawed, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    code, stdout = check(capsys, str(flawed.folder), "--format", "html")
    written = tmp_path / "reports" / "vidaudit.html"
    assert code == 1 and stdout == ""
    page = Page(written.read_text(encoding="utf-8"))
    assert ("div", {"class": "verdict fail", "id": "verdict", "data-verdict": "fail"}) \
        in page.tags


def test_json_and_html_in_one_run(flawed: Flawed, tmp_path: Path,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    code, _ = check(capsys, str(flawed.folder), "--format", "json", "--output", "r.json",
                    "--format", "html", "--output", "r.html")
    assert code == 1
    report = load_json(tmp_path / "r.json")
    page = Page((tmp_path / "r.html").read_text(encoding="utf-8"))
    data = page.findings_data()
    embedded = {code: len(rows) for code, rows in data["rules"].items()}  # type: ignore[attr-defined]
    counted: dict[str, int] = {}
    for finding in report["findings"]:
        counted[finding["code"]] = counted.get(finding["code"], 0) + 1
    assert embedded == counted
    sections = [a["data-rule"] for t, a in page.tags if t == "article"]
    assert sorted(sections) == sorted(counted)
    for item in report["inputs"]:
        assert item["sha256"] in page.text


def test_the_page_needs_nothing_from_outside(flawed: Flawed, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    _, text = render(capsys, flawed.folder, tmp_path / "r.html")
    page = Page(text)
    for url in page.attributes("src") + page.attributes("href"):
        assert url.startswith(("#", "data:")), url
    assert not [a for t, a in page.tags if t == "link" and a.get("rel") != "icon"]
    assert all("src" not in a for a, _ in page.scripts)
    assert "@import" not in text and "url(" not in text
    (policy,) = [a["content"] for t, a in page.tags
                 if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert policy and "default-src 'none'" in policy and "'unsafe-inline'" not in \
        policy.split("script-src")[1].split(";")[0]


def test_data_from_the_release_is_text_not_markup(hostile: Flawed, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    _, text = render(capsys, hostile.folder, tmp_path / "r.html")
    for hostile_text in (HOSTILE_TEMPLATE, HOSTILE_ID, HOSTILE_ACTION):
        assert hostile_text not in text
    assert "&lt;img src=x onerror=alert(1)&gt;" in text
    page = Page(text)
    assert not [a for _, a in page.tags if any(k.startswith("on") for k in a)]
    assert all((a.get("src") or "").startswith("data:") for t, a in page.tags if t == "img")
    assert len(re.findall(r"</script", text, re.IGNORECASE)) == len(page.scripts) == 2
    # The findings still carry the exact text, for the page to show as text.
    rows = [row for rows in page.findings_data()["rules"].values()  # type: ignore[attr-defined]
            for row in rows]
    assert any(row[4] == HOSTILE_ID for row in rows)
    assert any(HOSTILE_ACTION in row[5] for row in rows)
    assert any(HOSTILE_TEMPLATE in t for t in page.text)


def test_large_rules_are_capped_with_an_honest_note(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    flawed = flawed_release(Path("metadata"), n_videos=600)
    events = load_json(flawed.folder / "video_events_labels.json")
    for video_events in events.values():
        for event in video_events:
            event["pointY"] = float(event["pointY"])
    (flawed.folder / "video_events_labels.json").write_text(json.dumps(events))
    total = sum(len(v) for v in events.values())  # VA206: one finding per event
    assert total > html_report.ROWS_PER_RULE
    _, text = render(capsys, flawed.folder, tmp_path / "r.html")
    page = Page(text)
    rows = page.findings_data()["rules"]["VA206"]  # type: ignore[index]
    assert len(rows) == html_report.ROWS_PER_RULE
    hidden = total - html_report.ROWS_PER_RULE
    assert f"{hidden:,} more VA206 findings not shown" in " ".join(" ".join(page.text).split())
    assert f"lists all {total:,}" in text


def _images(section: str) -> list[np.ndarray]:
    decoded = []
    for uri in re.findall(r'src="data:image/jpeg;base64,([A-Za-z0-9+/=]+)"', section):
        image = cv2.imdecode(np.frombuffer(base64.b64decode(uri), np.uint8), cv2.IMREAD_COLOR)
        assert image is not None
        decoded.append(image)
    return decoded


def test_frames_become_thumbnails_with_the_point_drawn(tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    flawed = flawed_release(Path("metadata"), n_videos=8, seed=5)
    green = (40, 160, 40)  # BGR
    write_frames(tmp_path / "frames", flawed, green)
    _, text = render(capsys, flawed.folder, tmp_path / "r.html", "--frames", "frames")
    section = text.split('id="rule-VA502"')[1].split("</article>")[0]
    (thumb,) = _images(section)
    info = flawed.release.videos[flawed.contradicting]
    event = flawed.release.events[flawed.contradicting][0]
    scale = THUMB_WIDTH / info.width
    assert thumb.shape[:2] == (round(info.height * scale), THUMB_WIDTH)
    x, y = round(event["pointX"] * scale), round(event["pointY"] * scale)
    ring = thumb[max(0, y - 8):y + 9, max(0, x - 8):x + 9].reshape(-1, 3).astype(int)
    red = (ring[:, 2] > 150) & (ring[:, 1] < 110) & (ring[:, 0] < 110)
    assert red.sum() >= 10, "the point's red marker is not where the point is"
    corner = thumb[:10, :10].reshape(-1, 3).mean(axis=0)
    assert np.abs(corner - green).max() < 30, "the frame itself is not shown"
    samples = text.split('id="samples"')[1].split("</div>")[0]
    assert len(_images(samples)) == len(flawed.release.templates)


def _section(text: str, code: str) -> str:
    return text.split(f'id="rule-{code}"')[1].split("</article>")[0]


def test_points_outside_the_frame_are_drawn_outside_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """With a manifest (sizes, no images): SVG on a blank frame, grown past the border."""
    monkeypatch.chdir(tmp_path)
    flawed = flawed_release(Path("metadata"), n_videos=12, seed=5)
    off = move_off_frame(flawed, tmp_path / "manifest.csv")
    _, text = render(capsys, flawed.folder, tmp_path / "r.html", "--manifest", "manifest.csv")
    section = _section(text, "VA403")
    video_id, x, y = off.outside
    info = flawed.release.videos[video_id]
    (view,) = re.findall(r'<svg viewBox="([-\d. ]+)"', section)
    x0, y0, width, height = map(float, view.split())
    assert x0 == 0 and y0 == 0 and height == info.height
    assert info.width < x < width  # the canvas reaches past the frame to the point
    assert f'<rect x="0" y="0" width="{info.width}.0" height="{info.height}.0"' in section
    circles = re.findall(r'<circle cx="([\d.]+)" cy="([\d.]+)"', section)
    assert {(float(cx), float(cy)) for cx, cy in circles} == {(x, y)}
    assert f"video {video_id}, event 0" in section
    assert len(_section(text, "VA402")) > 0
    glance = " ".join(text.split('id="dataset"')[1].split('id="findings"')[0].split())
    assert "<b>1</b> at or after the clip's last frame" in glance
    assert "<b>1</b> outside the frame" in glance


def test_frames_outside_points_show_the_frame_and_the_margin(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    flawed = flawed_release(Path("metadata"), n_videos=12, seed=5)
    off = move_off_frame(flawed, tmp_path / "manifest.csv")
    blue = (200, 60, 20)
    write_frames(tmp_path / "frames", flawed, blue)
    _, text = render(capsys, flawed.folder, tmp_path / "r.html", "--frames", "frames")
    (thumb,) = _images(_section(text, "VA403"))
    video_id, x, _ = off.outside
    info = flawed.release.videos[video_id]
    assert thumb.shape[1] == THUMB_WIDTH
    scale = THUMB_WIDTH / (x + 0.08 * info.width)  # the canvas: frame, point, margin
    frame_right = round(info.width * scale)
    row = thumb[thumb.shape[0] // 2].astype(int)
    assert np.abs(row[frame_right // 2] - blue).max() < 30  # the frame
    assert np.abs(row[frame_right + 3] - 228).max() < 30  # the grey margin beyond it
    marker = thumb[:, frame_right + 2:].reshape(-1, 3).astype(int)
    assert ((marker[:, 2] > 150) & (marker[:, 1] < 110) & (marker[:, 0] < 110)).sum() >= 10


def test_thumbnail_paths_never_leave_the_frames_folder(tmp_path: Path) -> None:
    root = tmp_path / "frames"
    (root / "12").mkdir(parents=True)
    (root / "12" / "frame_00003.jpg").write_bytes(b"x")
    outside = tmp_path / "secret"
    outside.mkdir()
    (outside / "frame_00000.jpg").write_bytes(b"x")
    (root / "13").symlink_to(outside)
    assert frame_path(root, "12", 3) == (root / "12" / "frame_00003.jpg").resolve()
    assert frame_path(root, "12", 3.0) is not None
    for video_id, frame in (("../secret", 0), ("12/..", 3), ("012", 3), (12, 3),
                            ("13", 0), ("12", 3.5), ("12", -3), ("12", True), ("12", "3")):
        assert frame_path(root, video_id, frame) is None, (video_id, frame)


def test_rules_not_run_are_listed_apart_from_the_passed_ones(tmp_path: Path) -> None:
    """A rule whose input was not given is never shown as passed (no check mark)."""
    from support import REPO, run_cli

    out = tmp_path / "r.html"
    done = run_cli("check", REPO / "metadata", "--no-manifest", "--format", "html",
                   "--output", out, "--format", "json", "--output", tmp_path / "r.json")
    assert done.returncode == 0, done.stderr
    page = out.read_text(encoding="utf-8")
    skipped = json.loads((tmp_path / "r.json").read_text())["rules_skipped"]
    assert {"VA401", "VA601", "VA310"} <= set(skipped)
    section = page[page.index('id="not-run"'):]
    section = section[:section.index("</div>")]
    shown = re.findall(r'<span class="chip not-run" title="[^"]*">(VA\d+)</span>', section)
    assert shown == sorted(skipped)
    passed = page[page.index('class="passed"'):page.index('id="not-run"')]
    assert not set(re.findall(r">(VA\d+)</span>", passed)) & set(skipped)
