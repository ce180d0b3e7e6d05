"""The workbench in a real browser: Debian's chromium, headless, driven by Playwright.

The app is started as a user starts it (`python -m sim.tooling.app.main`, on a free port, its
runs in a temporary folder). A policy reader sets a 150 EUR copayment from 2025-01 with only job
seekers exempt, runs 2 seeds of 20,000 holders (the smallest size with fraud), reads the
ledger, sees a figure and downloads the brief; bad values are refused at the control; a
cancelled run and a run whose worker is killed leave the app serving. Screenshots go to
$CPF_SIM_SCREENSHOTS (`CPF_SIM_SCREENSHOTS=docs` regenerates the README's) or a temporary folder.

Needs the `app` extra and chromium (`bash .ci/setup.sh dev,cluster,app` installs both). Outside
CI a missing piece skips these tests; in CI (CI=true) it fails them.
"""

from __future__ import annotations

import importlib.util
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CPF_SIM_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SHOWN = {"x": 0, "y": 0, "width": 1400, "height": 1500}  # the worlds and what will run
missing = [m for m in ("solara", "playwright") if importlib.util.find_spec(m) is None]
missing += [] if Path(CHROMIUM).exists() else [CHROMIUM]
if missing:
    why = f"the browser tests need {', '.join(missing)}: bash .ci/setup.sh dev,cluster,app"
    if os.environ.get("CI"):
        pytest.fail(why, pytrace=False)
    pytest.skip(why, allow_module_level=True)

from playwright.sync_api import Browser, Page, expect, sync_playwright  # noqa: E402


def _lines(stream, out: queue.Queue) -> None:
    for line in stream:
        out.put(line)


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, subprocess.Popen]]:
    """The app's address and process; its home, caches and runs in a temporary folder."""
    home = tmp_path_factory.mktemp("app_home")
    env = {
        **os.environ,
        "HOME": str(home),
        "MPLCONFIGDIR": str(home / "matplotlib"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "CPF_SIM_APP_DIR": str(home / "app"),
        "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "sim.tooling.app.main", "--port", "0"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=_lines, args=(process.stdout, lines), daemon=True).start()
    url, said = None, []
    deadline = time.monotonic() + 90
    while url is None and time.monotonic() < deadline and process.poll() is None:
        try:
            said.append(lines.get(timeout=0.5))
        except queue.Empty:
            continue
        found = re.search(r"http://\S+", said[-1])
        url = found.group(0) if found else None
    assert url, "the app did not print its address:\n" + "".join(said)
    yield url, process
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    process.stdout.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("CPF_SIM_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def open_page(browser: Browser, url: str, height: int = 1000) -> tuple[Page, float]:
    page = browser.new_page(viewport={"width": 1400, "height": height}, accept_downloads=True)
    start = time.monotonic()
    page.goto(url)
    page.get_by_text("What will run").wait_for(timeout=30_000)
    return page, time.monotonic() - start


def workers_of(process: subprocess.Popen) -> list[int]:
    """Worker processes the app spawned (multiprocessing's spawn_main)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            command = (entry / "cmdline").read_bytes().decode(errors="replace")
        except (OSError, IndexError):
            continue
        if int(stat[1]) == process.pid and "spawn_main" in command:
            found.append(int(entry.name))
    return found


def test_a_policy_reader_runs_a_dated_reform_and_reads_who_pays(app, browser, shots):
    url, process = app
    page, load_s = open_page(browser, url, height=2600)
    print(f"first page load: {load_s:.2f} s")
    reform = page.locator(".world-reform")
    reform.locator(".toggle-copayment_eur").click()
    panel = reform.locator(".lever-copayment_eur")
    month, value = panel.locator(".change-month input"), panel.locator(".change-value input")

    month.fill("2027-01")  # outside the calendar: refused at the control
    expect(
        panel.get_by_text("schedule dates must lie in the calendar 2019-01..2026-12")
    ).to_be_visible()
    month.fill("2025-01")
    value.fill("-5")  # a negative amount: the command line's message
    expect(
        panel.get_by_text("regulation.copayment_eur[2025-01]=-5.0 is invalid: a finite number >= 0")
    ).to_be_visible()
    expect(panel.locator(".add-change")).to_be_disabled()
    reform.screenshot(path=str(shots / "app_refused.png"))

    value.fill("150")
    panel.locator(".add-change").click()
    expect(reform.locator(".toggle-copayment_eur")).to_contain_text("150 from 2025-01")
    reform.locator(".toggle-copayment_exempt").click()
    reform.get_by_text("holders with an employer top-up").click()
    expect(reform.get_by_label("holders with an employer top-up")).not_to_be_checked()
    expect(reform.get_by_label("job seekers")).to_be_checked()
    page.locator(".seeds input").fill("2")
    page.locator(".holders input").fill("20000")
    expect(page.locator(".what-will-run")).to_contain_text("copayment_eur (from 2025-01, 2026-01)")
    expect(page).to_have_url(re.compile(r"r\.copayment_eur=\{2024-05:100\.0,2025-01:150\.0\}"))
    expect(page).to_have_url(re.compile(r"seeds=2&holders=20000"))

    start = time.monotonic()
    page.locator(".run").click()
    numbers = page.locator(".ledger td").filter(has_text=re.compile(r"\d"))
    expect(numbers.first).to_be_visible(timeout=120_000)
    print(f"2 seeds x 2 worlds at 20,000 holders: {time.monotonic() - start:.1f} s")
    expect(page.locator(".summary")).to_contain_text("reform against baseline, 2025-01 to 2026-12")
    expect(page.locator(".ledger")).to_contain_text("fraud loss")
    expect(page.locator(".ledger")).to_contain_text("job seekers")
    figure = page.locator(".figure img").first
    expect(figure).to_be_visible()
    assert figure.evaluate("img => img.naturalWidth") > 300
    page.screenshot(path=str(shots / "app_compare.png"), clip=SHOWN)
    page.locator(".results").screenshot(path=str(shots / "app_answer.png"))
    with page.expect_download() as brief:
        page.get_by_role("button", name="HTML brief").click()
    text = Path(brief.value.path()).read_text(encoding="utf-8")
    assert "Scenario comparison" in text and "data:image/png;base64" in text
    with page.expect_download() as workbook:
        page.get_by_role("button", name="Tables (XLSX)").click()
    assert Path(workbook.value.path()).read_bytes()[:2] == b"PK"

    page.locator(".seeds input").fill("3")  # seeds 0-1 cached, seed 2 to run: then cancel
    page.locator(".run").click()
    page.locator(".cancel").click()
    expect(page.get_by_text("Cancelled")).to_be_visible()

    page.locator(".run").click()  # a worker killed mid-run: one line, and the app serves on
    expect(page.locator(".progress-text")).to_be_visible()
    deadline = time.monotonic() + 20
    while not workers_of(process) and time.monotonic() < deadline:
        time.sleep(0.1)
    for pid in workers_of(process):
        os.kill(pid, signal.SIGKILL)
    expect(page.locator(".run-error")).to_contain_text("worker process ended", timeout=30_000)
    page.locator(".seeds input").fill("2")
    page.locator(".run").click()
    expect(numbers.first).to_be_visible(timeout=30_000)
    assert process.poll() is None
    page.close()


def test_a_link_reproduces_the_worlds_and_the_reference_results_open(app, browser):
    url, _ = app
    link = f"{url}?base=historical&reform=none&r.copayment_eur={{2025-01:150.0}}&seeds=2"
    page, _ = open_page(browser, link)
    reform = page.locator(".world-reform")
    expect(reform.locator(".toggle-copayment_eur")).to_contain_text("150 EUR from 2025-01")
    expect(reform.locator(".toggle-copayment_eur")).to_contain_text("(edited)")
    expect(page.locator(".seeds input")).to_have_value("2")
    page.get_by_role("tab", name="Browse results").click()
    page.get_by_text("results folder").wait_for()
    expect(page.locator(".ledger")).to_contain_text("fraud loss", timeout=30_000)
    expect(page.locator(".summary")).to_contain_text("against")
    page.close()
