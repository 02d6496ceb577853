"""Each kind of report, opened in a real browser (headless Chromium) with the network cut off.

A manager opens the page offline and forwards it: nothing may be fetched,
nothing may fail in the console, every figure must be drawn, and the
numbers they read must be the numbers in the tables written beside the page.
Skipped, saying why, where Playwright or a Chromium is not installed
(``.ci/run`` installs both); nothing is installed here.
"""

from __future__ import annotations

import json
import os
import shutil

import pandas as pd
import pytest

from tests.reports import made_reports

sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed (pip install -e '.[test]')")
CHROMIUM = os.environ.get("SVCSIM_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on this machine (apt-get install chromium)")

#: Per kind: the table the page's lead numbers come from, its key column and the value columns shown.
LEAD = {
    "run": ("attainment.csv", "rule_id", ["attainment_pct", "due"]),
    "replications": ("attainment.csv", "rule_id", ["attainment_pct", "ci_low", "ci_high"]),
    "compare": ("difference.csv", "rule_id", ["mean_a", "mean_b", "difference", "ci_low", "ci_high"]),
    "sweep": ("sweep.csv", None, ["mean", "ci_low", "ci_high"]),
    "check": ("attainment.csv", "rule_id", ["attainment_pct", "due"]),
    "plan": ("plan_requirements.csv", "requirement", ["threshold", "start_mean", "plan_mean", "plan_low", "plan_high"]),
}


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        launched.close()


def _open(browser, page_path):
    """The page opened offline; the requests it made beyond itself, its console errors."""
    context = browser.new_context(offline=True, java_script_enabled=True)
    own = page_path.resolve().as_uri()
    requests, errors = [], []
    context.route("**/*", lambda route: route.continue_() if route.request.url == own else route.abort())
    page = context.new_page()
    page.on("request", lambda request: request.url != own and requests.append(request.url))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(own, wait_until="load")
    return context, page, requests, errors


def _number(text: str) -> float:
    text = text.replace(",", "").replace("%", "").replace("+", "").strip()
    return float("nan") if text in ("–", "") else float(text)


@pytest.mark.parametrize("kind", list(LEAD))
def test_a_report_opens_offline_draws_every_figure_and_shows_the_tables_numbers(browser, kind):
    """No request leaves the page, no console error, each figure has a size, each lead number is its table's."""
    page_path, out = made_reports()[kind]
    context, page, requests, errors = _open(browser, page_path)
    try:
        assert requests == [], f"the {kind} report asked for {requests}"
        assert errors == [], f"the {kind} report's console: {errors}"
        sizes = page.evaluate("() => [...document.querySelectorAll('figure svg')]"
                              ".map(s => { const r = s.getBoundingClientRect(); return [r.width, r.height, s.childElementCount]; })")
        assert sizes, f"the {kind} report has no figure"
        assert all(w > 50 and h > 50 and n > 0 for w, h, n in sizes), sizes
        name, key, columns = LEAD[kind]
        cells = page.evaluate("(name) => [...document.querySelectorAll(`td[data-table='${name}']`)]"
                              ".map(td => [td.dataset.row, td.dataset.column, td.textContent])", name)
        shown = {(row, column): text for row, column, text in cells}
        table = pd.read_csv(out / name)
        checked = 0
        for position, row in table.iterrows():
            row_key = str(row[key]) if key else str(position)
            for column in columns:
                if (row_key, column) not in shown:
                    continue
                on_page, written = _number(shown[(row_key, column)]), float(row[column])
                if pd.isna(written):
                    assert pd.isna(on_page), (row_key, column, shown[(row_key, column)])
                else:
                    assert on_page == pytest.approx(written, abs=0.051), (row_key, column)
                checked += 1
        assert checked >= len(table), f"only {checked} of the {kind} report's numbers were found on the page"
        produced = page.evaluate("() => document.querySelector(\"td[data-headline='Produced by']\").textContent")
        assert produced.startswith("svcsim ") and "svcsim 0." in produced
    finally:
        context.close()


def test_the_sweep_report_is_sorted_into_one_table_row_per_point_and_target(browser):
    """The sweep's numbers table has a row for every (point, target) of sweep.csv, keyed by its position."""
    page_path, out = made_reports()["sweep"]
    context, page, _, _ = _open(browser, page_path)
    try:
        rows = page.evaluate("() => document.querySelectorAll(\"td[data-table='sweep.csv'][data-column='mean']\").length")
        assert rows == len(pd.read_csv(out / "sweep.csv"))
    finally:
        context.close()


def test_the_plan_report_states_the_cost_levers_and_binding_requirements_of_plan_json(browser):
    """The headline's cost and binding targets, each lever's plan and the marginal cost changes are plan.json's."""
    page_path, out = made_reports()["plan"]
    record = json.loads((out / "plan.json").read_text())
    context, page, _, _ = _open(browser, page_path)
    try:
        headline = page.evaluate("() => Object.fromEntries([...document.querySelectorAll('td[data-headline]')]"
                                 ".map(td => [td.dataset.headline, td.textContent]))")
        cells = page.evaluate("() => Object.fromEntries([...document.querySelectorAll('td[data-table]')]"
                              ".map(td => [`${td.dataset.table}|${td.dataset.row}|${td.dataset.column}`, td.textContent]))")
    finally:
        context.close()
    assert headline["Cost per year"].startswith(f"plan {record['cost_per_year']:,.0f}")
    assert f"scenario {record['start_cost_per_year']:,.0f}" in headline["Cost per year"]
    assert headline["Binding"] == (", ".join(record["binding"]) or "none")
    assert headline["Replications"].startswith(f"{record['replications_at_plan']} at the plan; "
                                               f"{record['replications_simulated']} simulated")
    for lever in record["levers"]:
        assert _number(cells[f"plan_levers.csv|{lever['lever']}|plan"]) == lever["plan"]
        assert _number(cells[f"plan_levers.csv|{lever['lever']}|start"]) == lever["start"]
    for row in record["marginal"]:
        key = f"marginal.csv|{row['name']}{row['change']:+d}|cost_change_per_year"
        assert _number(cells[key]) == row["cost_change_per_year"]
    for row in record["requirements"]:
        binds = cells[f"plan_requirements.csv|{row['requirement']}|binding"]
        assert (binds == "binds") == row["binding"]


def test_the_run_report_draws_the_queues_from_queues_csv(browser):
    """The queues section's mean and busiest-hour numbers are queues.csv's, and queues_by_hour.csv was written."""
    page_path, out = made_reports()["run"]
    table = pd.read_csv(out / "queues.csv")
    assert set(table["queue"]) == {"on_hold", "dispatch", "admin_desk", "bench"}
    assert len(pd.read_csv(out / "queues_by_hour.csv")) == 4 * 24 and (out / "queues_by_day.csv").is_file()
    context, page, _, _ = _open(browser, page_path)
    try:
        cells = page.evaluate("() => Object.fromEntries([...document.querySelectorAll(\"td[data-table='queues.csv']\")]"
                              ".map(td => [`${td.dataset.row}|${td.dataset.column}`, td.textContent]))")
    finally:
        context.close()
    for _, row in table.iterrows():
        assert _number(cells[f"{row['queue']}|mean_waiting"]) == pytest.approx(row["mean_waiting"], abs=0.006)
        assert cells[f"{row['queue']}|busiest_hour"] == f"{int(row['busiest_hour']):02d}:00"


def test_the_opening_catches_a_page_that_reaches_out(browser, tmp_path):
    """The same opening sees a page that asks for an outside image: the guard above is not vacuous."""
    page_path = tmp_path / "leaky.html"
    page_path.write_text('<!DOCTYPE html><html><body><img src="http://figures.invalid/x.png"></body></html>')
    context, _, requests, errors = _open(browser, page_path)
    context.close()
    assert requests or errors


def test_a_report_prints_to_pdf(browser):
    """A manager prints the page from the browser: Chromium's print to PDF makes pages of it."""
    page_path, _ = made_reports()["run"]
    context, page, _, _ = _open(browser, page_path)
    try:
        pdf = page.pdf(format="A4")
    finally:
        context.close()
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") >= 2
