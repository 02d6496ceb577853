"""The report page of each kind, drawn from :class:`~svcsim.report.data.ReportData`'s tables only.

One function per kind lays out its sections (registered in :data:`LAYOUTS`);
each section is a heading, a figure and/or a table of one named table. A
section whose table is absent is replaced by the sentence
:attr:`ReportData.omitted` gives. The first figure comes right after the
headline and the attainment table, within a screen.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from svcsim.report import figures
from svcsim.report.data import ReportData
from svcsim.report.html import (
    Column,
    escape,
    fmt_count,
    fmt_number,
    fmt_pct,
    fmt_signed,
    page,
    table,
)

__all__ = ["LAYOUTS", "render"]


def _section(title: str, *parts: str) -> str:
    return f"<section><h2>{escape(title)}</h2>{''.join(parts)}</section>"


def _figure(svg: str, caption: str) -> str:
    return f'<figure role="img" aria-label="{escape(caption)}">{svg}</figure>'


def _omitted(data: ReportData, title: str) -> str:
    return _section(title, f'<p class="note">{escape(data.omitted[title])}</p>')


def _meets_css(row: pd.Series) -> str:
    return {"True": "good", "False": "bad", "unsure": "unsure"}.get(str(row.get("meets", "")), "")


def _verdict_text(row_value: object) -> str:
    return str(row_value) if isinstance(row_value, str) else ""


def _attainment(data: ReportData, interval: bool) -> str:
    frame = data.tables["attainment.csv"]
    columns = [Column("target", "rule_id", number=False), Column("what it asks", "title", number=False),
               Column("attainment", "attainment_pct", fmt_pct, css=_meets_css)]
    if interval:
        columns += [Column("95 % low", "ci_low", fmt_pct), Column("95 % high", "ci_high", fmt_pct),
                    Column("replications", "due", fmt_count)]
    else:
        columns += [Column("verdicts due", "due", fmt_count)]
    columns += [Column("note", "verdict", _verdict_text, number=False, css=lambda r: "later")]
    if frame["required_pct"].notna().any():
        columns.insert(3, Column("required", "required_pct", fmt_pct))
    legend = ('<p class="legend"><span class="good" style="background:#d8f0e6">meets the requirement</span>'
              '<span style="background:#f9ddd0">misses it</span><span style="background:#fbf1c7">the interval straddles it</span></p>'
              if frame["required_pct"].notna().any() else "")
    return _section("Targets", _figure(figures.to_svg(lambda: figures.attainment_figure(frame)), "attainment per target"),
                    legend, table(frame, columns, name="attainment.csv", key="rule_id"))


def _escalations(data: ReportData, title: str) -> str:
    if title in data.omitted:
        return _omitted(data, title)
    columns = [Column("case", "case_id", number=False), Column("target", "rule_id", number=False),
               Column("level", "level", fmt_count), Column("was due", "due", number=False),
               Column("overdue (hours)", "overdue_h", fmt_number)]
    return _section(title, table(data.tables["top_escalations.csv"], columns, name="top_escalations.csv",
                                 caption="worst first"))


def _run(data: ReportData) -> list[str]:
    t = data.tables
    out = [_attainment(data, interval=False)]
    util = [Column("role", "role", number=False), Column("staff", "staff", fmt_count),
            Column("busy (hours)", "busy_minutes", lambda v: fmt_number(float(v) / 60, 0)),
            Column("on duty (hours)", "on_duty_minutes", lambda v: fmt_number(float(v) / 60, 0)),
            Column("utilisation", "utilisation_pct", fmt_pct)]
    from svcsim.report.queues import QUEUES

    out.append(_section(
        "Queues",
        _figure(figures.to_svg(lambda: figures.queue_figure(t["queues_by_day.csv"], "day", "day of the period",
                                                            "Waiting per day (mean over 24 h)", QUEUES)), "queues per day"),
        _figure(figures.to_svg(lambda: figures.queue_figure(t["queues_by_hour.csv"], "hour_of_day", "hour of day (local)",
                                                            "Waiting by hour of day (mean over the period)", QUEUES)),
                "queues by hour of day"),
        table(t["queues.csv"], [
            Column("queue", "label", number=False), Column("mean waiting", "mean_waiting", lambda v: fmt_number(v, 2)),
            Column("busiest hour (local)", "busiest_hour", lambda v: f"{int(v):02d}:00"),
            Column("waiting then", "busiest_waiting", lambda v: fmt_number(v, 2))],
            name="queues.csv", key="queue", caption="mean over the period; the hour of day with the most waiting")))
    out.append(_section(
        "Staff busy",
        _figure(figures.to_svg(lambda: figures.busy_figure(t["busy_by_day.csv"], "day", "day of the period",
                                                           "Staff busy per day (mean over 24 h)")), "staff busy per day"),
        _figure(figures.to_svg(lambda: figures.busy_figure(t["busy_by_hour.csv"], "hour_of_day", "hour of day (local)",
                                                           "Staff busy by hour of day (mean over the period)")),
                "staff busy by hour of day"),
        table(t["utilisation.csv"], util, name="utilisation.csv", key="role")))
    if "Stock per part" in data.omitted:
        out.append(_omitted(data, "Stock per part"))
    else:
        out.append(_section("Stock per part", _figure(figures.to_svg(lambda: figures.stock_figure(t["stock_levels.csv"])),
                                                      "stock per part")))
    if "Vendor ageing" in data.omitted:
        out.append(_omitted(data, "Vendor ageing"))
    else:
        cols = [Column("milestone", "milestone", number=False), Column("items still at the vendor past it", "items_past", fmt_count)]
        out.append(_section("Vendor ageing", _figure(figures.to_svg(lambda: figures.vendor_figure(t["vendor_ageing.csv"])),
                                                     "vendor ageing"),
                            table(t["vendor_ageing.csv"], cols, name="vendor_ageing.csv", key="milestone")))
    out.append(_escalations(data, "Escalations"))
    return out


def _replications(data: ReportData) -> list[str]:
    cols = [Column("role", "role", number=False), Column("utilisation", "mean_pct", fmt_pct),
            Column("95 % low", "ci_low", fmt_pct), Column("95 % high", "ci_high", fmt_pct)]
    return [_attainment(data, interval=True),
            _section("Staff utilisation", table(data.tables["utilisation.csv"], cols, name="utilisation.csv", key="role"))]


def _compare(data: ReportData) -> list[str]:
    t = data.tables
    diff = t["difference.csv"]
    css = lambda r: {"B better": "good", "B worse": "bad"}.get(str(r["direction"]), "")  # noqa: E731
    cols = [Column("target", "rule_id", number=False), Column("A", "mean_a", fmt_pct), Column("B", "mean_b", fmt_pct),
            Column("B - A (points)", "difference", fmt_signed, css=css), Column("95 % low", "ci_low", fmt_signed),
            Column("95 % high", "ci_high", fmt_signed), Column("pairs", "n", fmt_count),
            Column("reading", "direction", number=False)]
    if diff["required_pct"].notna().any():
        cols.insert(3, Column("required", "required_pct", fmt_pct))
    util = [Column("role", "role", number=False), Column("A", "mean_a_pct", fmt_pct), Column("B", "mean_b_pct", fmt_pct),
            Column("B - A (points)", "difference", fmt_signed), Column("95 % low", "ci_low", fmt_signed),
            Column("95 % high", "ci_high", fmt_signed)]
    return [_section("B - A per target", _figure(figures.to_svg(lambda: figures.difference_figure(diff)), "difference per target"),
                     table(diff, cols, name="difference.csv", key="rule_id")),
            _section("Staff utilisation", table(t["utilisation.csv"], util, name="utilisation.csv", key="role"))]


def _sweep(data: ReportData) -> list[str]:
    frame = data.tables["sweep.csv"]
    fields = [c for c in frame.columns if c not in ("rule_id", "n", "mean", "ci_low", "ci_high", "required_pct")]
    lever, others = fields[0], fields[1:]
    rules = [r for r in dict.fromkeys(frame["rule_id"]) if frame.loc[frame["rule_id"] == r, "mean"].notna().any()]
    later = [r for r in dict.fromkeys(frame["rule_id"]) if r not in rules]
    note = (f'<p class="note">Not yet due at any point, so not drawn: {escape(", ".join(later))} '
            "(no verdict of theirs falls due inside the period).</p>" if later else "")
    figs = "".join(_figure(figures.to_svg(lambda r=r: figures.sweep_figure(frame, r, lever, others)), f"{r} against {lever}")
                   for r in rules)
    shown = frame  # one row per row of sweep.csv, in its order (the cells are keyed by position)
    cols = [Column("target", "rule_id", number=False), *(Column(f, f, str) for f in fields),
            Column("attainment", "mean", fmt_pct), Column("95 % low", "ci_low", fmt_pct), Column("95 % high", "ci_high", fmt_pct),
            Column("replications", "n", fmt_count)]
    return [_section(f"Attainment against {lever}", f'<div class="grid">{figs}</div>', note),
            _section("The numbers", table(shown, cols, name="sweep.csv"))]


def _check(data: ReportData) -> list[str]:
    t = data.tables
    out = [_attainment(data, interval=False)]
    if "Validation" in data.omitted:
        out.append(_omitted(data, "Validation"))
    else:
        out.append(_section("Validation", table(t["validation.csv"], [Column("rows", "what", number=False),
                                                                      Column("count", "rows", fmt_count)],
                                                name="validation.csv", key="what")))
    if "Monthly KPIs" in data.omitted:
        out.append(_omitted(data, "Monthly KPIs"))
    else:
        kpis = t["kpis.csv"]
        shown = kpis.assign(part=kpis["part"].fillna("").astype(str),
                            shown=[_kpi_value(v, u) for v, u in zip(kpis["value"], kpis["unit"], strict=True)])
        cols = [Column("month", "month", number=False), Column("KPI", "kpi", number=False), Column("part", "part", number=False),
                Column("value", "shown", number=True), Column("flag", "flag", lambda v: "flagged" if v is True else "", number=False),
                Column("note", "note", lambda v: "" if v is None or pd.isna(v) else str(v), number=False)]
        out.append(_section("Monthly KPIs", table(shown, cols, name="kpis.csv")))
    out.append(_escalations(data, "Escalations"))
    return out


_STATUS_CSS = {"met": "good", "failed": "bad", "undecided": "unsure"}


def _requirement_value(value: object, kind: object) -> str:
    """An attainment in %, a fill rate as a share (as the requirement states it)."""
    if value is None or pd.isna(value):
        return "–"
    return fmt_pct(value) if kind == "attainment" else f"{float(value):.3f}"


def _plan(data: ReportData) -> list[str]:
    t = data.tables
    req = t["plan_requirements.csv"]
    values = [c for c in req.columns if c.split("_")[-1] in ("mean", "low", "high") or c == "threshold"]
    shown = req.assign(**{c: [_requirement_value(v, k) for v, k in zip(req[c], req["kind"], strict=True)]
                          for c in values})
    status_css = lambda name: lambda r: _STATUS_CSS.get(str(r.get(f"{name}_status", "")), "")  # noqa: E731
    cols = [Column("requirement", "requirement", number=False), Column("threshold", "threshold")]
    for name, label in (("start", "scenario"), ("plan", "plan"), ("bounds", "at the upper bounds")):
        if f"{name}_mean" in req:
            cols += [Column(label, f"{name}_mean", css=status_css(name)), Column("low", f"{name}_low"),
                     Column("high", f"{name}_high"), Column("replications", f"{name}_n", fmt_count),
                     Column("verdict", f"{name}_status", number=False)]
    cols.append(Column("binds", "binding", lambda v: "binds" if v is True or str(v) == "True" else "", number=False))
    legend = ('<p class="legend"><span style="background:#d8f0e6">met</span><span style="background:#f9ddd0">failed</span>'
              '<span style="background:#fbf1c7">undecided (the bounds straddle the threshold)</span> '
              "low and high are one-sided bounds at the plan's confidence.</p>")
    out = [_section("Requirements", _figure(figures.to_svg(lambda: figures.plan_requirement_figure(req)),
                                            "each requirement at the scenario and at the plan"),
                    legend, table(shown, cols, name="plan_requirements.csv", key="requirement"))]
    lever_cols = [Column("lever", "name", number=False), Column("path", "lever", number=False),
                  Column("scenario", "start", fmt_count), Column("plan", "plan", fmt_count),
                  Column("low", "low", fmt_count), Column("high", "high", fmt_count),
                  Column("cost per unit and year", "cost_per_unit_year", lambda v: fmt_number(v, 0)),
                  Column("warm start", "warm_start", fmt_count),
                  Column("from", "warm_start_source", number=False)]
    out.append(_section("The plan against the scenario", table(t["plan_levers.csv"], lever_cols, name="plan_levers.csv",
                                                               key="lever")))
    if "Marginal value" in data.omitted:
        out.append(_omitted(data, "Marginal value"))
    else:
        marginal = t["marginal.csv"]
        keys = [c.removesuffix(":change_points") for c in marginal.columns if c.endswith(":change_points")]
        mcols = [Column("lever", "name", number=False), Column("one unit", "change", lambda v: "more" if int(v) > 0 else "fewer",
                                                               number=False),
                 Column("value", "value", fmt_count), Column("cost change per year", "cost_change_per_year",
                                                             lambda v: fmt_signed(v, 0))]
        for key in keys:
            mcols += [Column(f"{key} (points)", f"{key}:change_points", fmt_signed),
                      Column(f"{key} then", f"{key}:status", number=False,
                             css=lambda r, k=key: _STATUS_CSS.get(str(r[f"{k}:status"]), ""))]
        mcols.append(Column("searched as", "checked", lambda v: "" if v is None or pd.isna(v) else str(v), number=False))
        marginal = marginal.assign(row=[f"{n}{c:+d}" for n, c in zip(marginal["name"], marginal["change"], strict=True)])
        out.append(_section("Marginal value: one unit more or fewer of each lever", table(
            marginal, mcols, name="marginal.csv", key="row",
            caption="on the plan's replications; a requirement that is not met with one unit fewer binds")))
    candidates = t["candidates.csv"]
    if len(candidates):
        out.append(_section("Candidates", _figure(figures.to_svg(lambda: figures.candidates_figure(candidates)),
                                                  "candidates the search checked")))
    return out


def _kpi_value(value: object, unit: object) -> str:
    if value is None or pd.isna(value):
        return "–"
    if unit == "share":
        return fmt_pct(100 * float(value))
    return f"{fmt_number(value, 1)} {unit}"


#: The layout of each report kind.
LAYOUTS: dict[str, Callable[[ReportData], list[str]]] = {
    "run": _run, "replications": _replications, "compare": _compare, "sweep": _sweep, "check": _check,
    "plan": _plan}


def render(data: ReportData) -> str:
    """The page of ``data`` as HTML text."""
    from svcsim import __version__

    footer = (f"Made by svcsim {__version__}. Every number above is read from the tables written beside this page "
              f"({', '.join(data.tables)}); nothing on the page is computed again.")
    return page(data.title, data.headline, LAYOUTS[data.kind](data), footer)
