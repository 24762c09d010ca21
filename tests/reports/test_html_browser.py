"""The HTML report in real headless Chromium: it loads cleanly, offline, and works.

Skipped when Chromium is not installed, except in CI (``CI`` set), where a
missing browser is a failure: `.ci/run` installs Debian's ``chromium``.
Screenshots go to ``$VIDAUDIT_SCREENSHOTS`` when set (to look at), else to the
test's temporary folder.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import cv2
import pytest

from reports.browser import Browser, Page, find_chromium, open_page
from reports.datasets import (
    HOSTILE_ACTION,
    HOSTILE_ID,
    HOSTILE_TEMPLATE,
    Flawed,
    check,
    flawed_release,
    write_frames,
)
from support import ON_CI, REAL_METADATA

pytestmark = pytest.mark.slow
CHROMIUM = find_chromium()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if CHROMIUM is None:
        if ON_CI:
            pytest.fail("chromium is not installed (apt-get install -y chromium)")
        pytest.skip("chromium is not installed")
    with Browser(CHROMIUM) as running:
        yield running


def load(browser: Browser, report: Path) -> Page:
    return open_page(browser, report.resolve().as_uri())


def assert_clean(page: Page, report: Path) -> None:
    assert page.console_errors == []
    assert page.dialogs == []
    fetched = [url for url in page.requests if not url.startswith("data:")]
    assert fetched == [report.resolve().as_uri()], "the page asked for more than itself"


def screenshot(page: Page, tmp_path: Path, name: str) -> Path:
    shot = page.screenshot(tmp_path / name)
    image = cv2.imread(str(shot))
    assert image is not None and image.shape[1] == 1280 and image.shape[0] > 900
    assert image.std() > 20, "the screenshot is blank"
    keep = os.environ.get("VIDAUDIT_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(keep) / name)
    return shot


RULE_TABLES = """
[...document.querySelectorAll('article.rule')].map(a => ({
  code: a.dataset.rule,
  rows: a.querySelectorAll('table.findings tbody tr').length,
  status: a.querySelector('.status').textContent,
  pills: a.querySelector('header').textContent.replace(/\\s+/g, ' ').trim(),
}))
"""


def test_report_loads_offline_without_errors(browser: Browser, flawed: Flawed, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    check(capsys, str(flawed.folder), "--format", "json", "-o", "r.json",
          "--format", "html", "-o", "r.html")
    report = json.loads((tmp_path / "r.json").read_text())
    page = load(browser, tmp_path / "r.html")
    assert_clean(page, tmp_path / "r.html")
    assert page.evaluate("document.getElementById('verdict').dataset.verdict") == "fail"
    assert page.evaluate("document.querySelector('#verdict .word').textContent") == "FAIL"
    counted: dict[str, int] = {}
    for finding in report["findings"]:
        counted[finding["code"]] = counted.get(finding["code"], 0) + 1
    tables = {t["code"]: t for t in page.evaluate(RULE_TABLES)}
    assert set(tables) == set(counted)
    for code, n in counted.items():
        assert tables[code]["rows"] == min(n, 25)
        assert tables[code]["status"] == f"Showing 1\u2013{min(n, 25)} of {n}"
    for chart in ("chart-templates", "chart-positions", "chart-heat", "chart-per-video"):
        assert page.evaluate(f"document.getElementById('{chart}').getBBox().height") > 50
    screenshot(page, tmp_path, "flawed.png")


def test_findings_table_filters_sorts_and_pages(browser: Browser, flawed: Flawed,
                                                tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    events_file = flawed.folder / "video_events_labels.json"
    events = json.loads(events_file.read_text())
    for video_events in events.values():
        for event in video_events:
            event["pointX"] = float(event["pointX"])
    events_file.write_text(json.dumps(events))
    floats = sum(len(v) for v in events.values())  # VA206: one finding per event
    check(capsys, str(flawed.folder), "--format", "html", "-o", "r.html")
    page = load(browser, tmp_path / "r.html")
    article = "document.getElementById('rule-VA206')"

    def status() -> str:
        return str(page.evaluate(f"{article}.querySelector('.status').textContent"))

    def column(name: str) -> list[str]:
        return list(page.evaluate(f"[...{article}.querySelectorAll('tbody td.{name}')]"
                                  ".map(td => td.textContent)"))

    def type_filter(text: str) -> None:
        page.evaluate(f"""(() => {{ const input = {article}.querySelector('input');
            input.value = {json.dumps(text)}; input.dispatchEvent(new Event('input')); }})()""")

    assert status() == f"Showing 1\u201325 of {floats}"
    page.evaluate(f"{article}.querySelector('.pager button[data-step=\"1\"]').click()")
    assert status() == f"Showing 26\u201350 of {floats}"
    assert page.evaluate(f"{article}.querySelector('.page').textContent") \
        == f"Page 2 of {-(-floats // 25)}"

    type_filter("frameNumber")
    n = flawed.float_values
    assert status() == f"Showing 1\u2013{n} of {n} matching ({floats} embedded)"
    assert all(m.startswith("frameNumber, pointX written as a float (") for m in column("msg"))
    type_filter("no such text")
    assert column("msg") == []
    assert page.evaluate(f"{article}.querySelector('tbody').textContent") \
        == "No finding matches the filter."
    type_filter("")

    button = f"{article}.querySelector('th[data-key=\"4\"] button')"
    page.evaluate(f"{button}.click()")
    page.evaluate(f"{button}.click()")
    videos = column("vid")
    largest = max(int(v) for v in events)
    assert videos == sorted(videos, key=int, reverse=True) and int(videos[0]) == largest
    assert page.evaluate(f"{article}.querySelector('th[data-key=\"4\"]')"
                         ".getAttribute('aria-sort')") == "descending"
    assert page.console_errors == []


def test_hostile_release_is_shown_not_run(browser: Browser, hostile: Flawed, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    check(capsys, str(hostile.folder), "--format", "html", "-o", "r.html")
    page = load(browser, tmp_path / "r.html")
    assert_clean(page, tmp_path / "r.html")
    text = page.evaluate("document.body.innerText")
    assert HOSTILE_TEMPLATE in text
    for code in ("VA202", "VA203", "VA303", "VA305", "VA309"):
        page.evaluate(f"""(() => {{ const input = document.querySelector('#rule-{code} input');
            input.value = '<'; input.dispatchEvent(new Event('input')); }})()""")
    shown = page.evaluate("[...document.querySelectorAll('table.findings td')]"
                          ".map(td => td.textContent)")
    assert HOSTILE_ID in shown
    assert any(HOSTILE_ACTION in cell for cell in shown)
    assert page.evaluate("document.querySelectorAll('[onerror], [onmouseover], "
                         "img:not([src^=\"data:\"]), table.findings b').length") == 0
    assert page.dialogs == [] and page.console_errors == []
    screenshot(page, tmp_path, "hostile.png")


BROKEN = {
    "video_events_labels.json": '{"1": [{"action": "contact", "agent": "hand-object", '
                                '"frameNumber": "x", "pointX": null, "pointY": [1]}], '
                                '"2": [], "3": "oops"}',
    "template_to_video_ids_map.json": '{"": ["1"], "T": 5}',
    "train_videos_ids_labeled.json": '[1, "1", null]',
    "test_videos_ids_labeled.json": "nope",
}


def test_a_broken_release_still_gives_a_clean_page(browser: Browser, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    folder = Path("metadata")
    folder.mkdir()
    for name, text in BROKEN.items():
        (folder / name).write_text(text)
    code, _ = check(capsys, str(folder), "--format", "json", "-o", "r.json",
                    "--format", "html", "-o", "r.html")
    assert code == 1
    codes = {f["code"] for f in json.loads((tmp_path / "r.json").read_text())["findings"]}
    assert {"VA101", "VA102", "VA201", "VA208"} <= codes
    page = load(browser, tmp_path / "r.html")
    assert_clean(page, tmp_path / "r.html")  # e.g. no NaN in an SVG attribute
    tables = {t["code"]: t for t in page.evaluate(RULE_TABLES)}
    assert set(tables) == codes


def test_thumbnails_are_shown(browser: Browser, tmp_path: Path,
                              capsys: pytest.CaptureFixture[str],
                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    flawed = flawed_release(Path("metadata"), n_videos=8, seed=5)
    write_frames(tmp_path / "frames", flawed, (200, 120, 40))
    check(capsys, str(flawed.folder), "--frames", "frames", "--format", "html", "-o", "r.html")
    page = load(browser, tmp_path / "r.html")
    assert_clean(page, tmp_path / "r.html")
    sizes = page.evaluate("[...document.querySelectorAll('figure.thumb img')]"
                          ".map(i => [i.complete, i.naturalWidth,"
                          "           i.getBoundingClientRect().width])")
    assert len(sizes) == len(flawed.release.templates) + 1  # the samples and VA502's
    assert all(done and natural == 240 and shown > 100 for done, natural, shown in sizes)
    screenshot(page, tmp_path, "thumbnails.png")


@pytest.mark.skipif(not REAL_METADATA.is_dir(), reason="no real data in ../shared/data")
def test_real_release_report(browser: Browser, tmp_path: Path,
                             capsys: pytest.CaptureFixture[str]) -> None:
    report = tmp_path / "real.html"
    code, _ = check(capsys, str(REAL_METADATA), "--format", "html", "-o", str(report))
    assert code == 1
    assert report.stat().st_size < 10 * 1024 * 1024
    page = load(browser, report)
    assert_clean(page, report)
    tables = {t["code"]: t for t in page.evaluate(RULE_TABLES)}
    assert tables["VA206"]["rows"] == 25
    assert tables["VA206"]["status"] == "Showing 1\u201325 of 1,000"
    assert "not shown" in page.evaluate(
        "document.querySelector('#rule-VA206 .more').textContent")
    screenshot(page, tmp_path, "real.png")
