"""The dashboard in a real browser: submit a CSV, watch it finish, open a job, approve a review."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from api import create_app
from bench.fake_llm import FakeLLM, serve_in_thread
from tests.api.conftest import API_KEY, JOBS, api_settings
from tests.api.server import serve_app

pytestmark = pytest.mark.slow

LONG = 120_000  # ms: the whole batch runs through the graph meanwhile


@pytest.fixture
def live_app(empty_db: str, research_dir: Path) -> Iterator[str]:
    with serve_in_thread(FakeLLM(latency_s=0.02)) as llm_url:
        app = create_app(api_settings(empty_db, llm_url, research_dir), poll_s=0.2)
        with serve_app(app) as base_url:
            yield base_url


def write_csv(path: Path) -> Path:
    rows = ["publisher_domain,target_url,anchor_text,min_word_count"]
    for i in (0, 1, 2, 5):  # job 5's anchor holds REVIEW: it ends needs_review
        rows.append(f"{JOBS[i].publisher_domain},{JOBS[i].target_url},{JOBS[i].anchor_text},300")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_submit_follow_inspect_and_review(browser: Any, live_app: str, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(live_app + "/")
    expect(page.locator("#key-form")).to_be_visible()  # keys are configured
    page.fill("#key-input", API_KEY)
    page.click("#key-form button[type=submit]")
    expect(page.locator("#batches")).to_contain_text("No batches yet.")

    page.set_input_files("#upload-file", str(write_csv(tmp_path / "jobs.csv")))
    page.click("#upload-form button[type=submit]")
    expect(page.locator("#flash")).to_contain_text("4 job(s) accepted, 0 rejected")
    row = page.locator("tr[data-batch]")
    expect(row).to_have_count(1)
    expect(row.locator('[data-field="status"]')).to_have_text("finished", timeout=LONG)
    expect(row.locator('[data-field="done"]')).to_have_text("4/4")
    expect(row.locator('[data-field="passed"]')).to_have_text("3")
    expect(row.locator('[data-field="needs_review"]')).to_have_text("1")
    page.screenshot(path=str(tmp_path / "batches.png"), full_page=True)

    row.locator("a").click()
    expect(page.locator("#batch tbody tr")).to_have_count(4)
    expect(page.locator("#batch td.status-passed")).to_have_count(3)
    expect(page.locator("#batch td.status-needs_review")).to_have_count(1)

    page.locator("#batch tr", has=page.locator("td.status-passed")).first.locator("a").click()
    expect(page).to_have_url(re.compile(r"/jobs/job_"))
    expect(page.locator('#job [data-field="status"]')).to_have_text("passed")
    expect(page.locator("table.qc tbody tr")).to_have_count(8)
    score = float(page.locator('[data-field="qc"]').inner_text())
    assert score >= 80
    expect(page.locator("article.preview")).to_contain_text("laddbox")
    expect(page.locator(".timeline")).to_contain_text("qc_review")
    page.screenshot(path=str(tmp_path / "job.png"), full_page=True)

    page.click("nav >> text=Reviews")
    card = page.locator("[data-review]")
    expect(card).to_have_count(1)
    expect(card).to_contain_text(JOBS[5].anchor_text)
    card.locator("[data-notes]").fill("Looks fine to me.")
    card.locator("button[data-review-action=approve]").click()
    expect(page.locator("#flash")).to_contain_text("approve → passed")
    expect(page.locator("#reviews")).to_contain_text("Nothing waits for a review.")
    page.screenshot(path=str(tmp_path / "reviews.png"), full_page=True)
