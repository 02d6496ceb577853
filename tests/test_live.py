"""Loading live exports: every row accounted for, each defect caught with its code and nothing else disturbed."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from svcsim import InputError, check
from svcsim.cli import main
from svcsim.eventlog import read_log
from svcsim.live import load_events, load_mapping

MAPPING = """
[source]
missing = ["?"]
[columns]
case_id = "Ticket No"
activity = "Status"
timestamp = "Updated"
seq = "Update #"
[timestamps]
format = "%d/%m/%Y %H:%M"
timezone = "Asia/Shanghai"
[activities.map]
"Logged" = "ticket_logged"
"Assigned" = "dispatched"
"On site" = "arrived_on_site"
"Done" = "completed"
"On hold" = "on_hold"
[[activities.intervals]]
states = "on_hold"
pause = "customer_delay"
resume = "customer_ready"
[case_attributes]
zone = "Area"
[case_constants]
case_type = "ticket"
"""

CLEAN = [
    ("T1", "Logged", "2/3/2026 09:00", "0", "city"),
    ("T1", "Assigned", "2/3/2026 10:00", "1", "city"),
    ("T1", "On hold", "2/3/2026 10:10", "2", "city"),
    ("T1", "On site", "2/3/2026 10:40", "3", "city"),
    ("T1", "Done", "2/3/2026 12:00", "4", "city"),
    ("T2", "Logged", "2/3/2026 11:00", "0", "suburb"),
    ("T2", "Assigned", "3/3/2026 09:00", "1", "suburb"),
]
AS_OF = "2026-03-31T00:00:00+08:00"


def export(tmp_path: Path, rows: list[tuple], columns: tuple = ("Ticket No", "Status", "Updated", "Update #", "Area")) -> Path:
    path = tmp_path / "export.csv"
    pd.DataFrame(rows, columns=list(columns)).to_csv(path, index=False)
    return path


def load(tmp_path: Path, rows: list[tuple], mapping: str = MAPPING, **kw):
    (tmp_path / "mapping.toml").write_text(mapping)
    return load_events(export(tmp_path, rows, **kw), tmp_path / "mapping.toml", as_of=AS_OF)


def test_a_clean_export_loads_whole(tmp_path):
    """Status words mapped, a hold interval as pause and resume, zone per case, nothing flagged."""
    log, report = load(tmp_path, CLEAN)
    assert (report.rows_read, report.rows_kept, report.rows_quarantined, report.rows_repaired) == (7, 7, 0, 0)
    assert report.issues.empty
    t1 = log.events[log.events["case_id"] == "T1"].sort_values("timestamp")
    assert list(t1["activity"].astype(str)) == [
        "ticket_logged", "dispatched", "on_hold", "customer_delay", "arrived_on_site", "customer_ready", "completed",
    ]
    assert report.events_derived == 2
    assert log.events["timestamp"].min() == pd.Timestamp("2026-03-02 01:00", tz="UTC")
    assert log.cases.set_index("case_id").loc["T2", "zone"] == "suburb"


PLANTED = [
    # (name, row index to replace (or None to append), new row, expected code, quarantined?)
    ("unparseable timestamp", 1, ("T1", "Assigned", "2/3/2026 25:99", "1", "city"), "TS_UNPARSEABLE", True),
    ("exact duplicate", None, ("T1", "Assigned", "2/3/2026 10:00", "1", "city"), "DUPLICATE", True),
    ("unknown activity", 3, ("T1", "Teleported", "2/3/2026 10:40", "3", "city"), "UNKNOWN_ACTIVITY", True),
    ("event out of order", 4, ("T1", "Done", "2/3/2026 09:30", "4", "city"), "OUT_OF_ORDER", False),
    ("null case id", 6, ("?", "Assigned", "3/3/2026 09:00", "1", "suburb"), "CASE_ID_NULL", True),
    ("future timestamp past as_of", 6, ("T2", "Assigned", "3/4/2026 09:00", "1", "suburb"), "TS_FUTURE", True),
]


@pytest.mark.parametrize(("name", "at", "row", "code", "quarantined"), PLANTED, ids=[p[0] for p in PLANTED])
def test_a_planted_defect_is_caught_with_its_code_and_nothing_else(tmp_path, name, at, row, code, quarantined):
    rows = list(CLEAN)
    if at is None:
        rows.insert(2, row)
        at = 2
    else:
        rows[at] = row
    log, report = load(tmp_path, rows)
    issues = report.issues
    assert list(zip(issues["source_row"], issues["code"], strict=True)) == [(at + 1, code)], issues
    assert report.rows_read == report.rows_kept + report.rows_quarantined == len(rows)
    assert report.rows_quarantined == int(quarantined)
    kept_rows = set(log.events["source_row"])
    assert (at + 1 not in kept_rows) == quarantined
    assert kept_rows | {at + 1} == set(range(1, len(rows) + 1))
    if quarantined and code != "DUPLICATE" and row[0] != "?":
        assert log.cases.set_index("case_id").loc[row[0], "invalid_reason"] == code


TIMESTAMP_ONLY = MAPPING.replace('format = "%d/%m/%Y %H:%M"\ntimezone = "Asia/Shanghai"\n', "")


def offset_rows(stamps: list[str]) -> list[tuple]:
    return [(r[0], r[1], s, r[3], r[4]) for r, s in zip(CLEAN, stamps, strict=False)]


def test_a_naive_timestamp_among_offset_ones(tmp_path):
    """No zone stated: the one row written without an offset is quarantined, the rest load."""
    stamps = ["2026-03-02T09:00:00+08:00", "2026-03-02 10:00", "2026-03-02T10:10:00+08:00"]
    log, report = load(tmp_path, offset_rows(stamps), TIMESTAMP_ONLY)
    assert list(zip(report.issues["source_row"], report.issues["code"], strict=True)) == [(2, "TS_NAIVE")]
    assert report.rows_kept == 2


def test_mixed_offsets_in_one_source(tmp_path):
    """One row written in another offset is flagged and kept, as the same instant in UTC."""
    stamps = ["2026-03-02T09:00:00+08:00", "2026-03-02T02:00:00+00:00", "2026-03-02T10:10:00+08:00"]
    log, report = load(tmp_path, offset_rows(stamps), TIMESTAMP_ONLY)
    assert list(zip(report.issues["source_row"], report.issues["code"], strict=True)) == [(2, "TS_MIXED_OFFSETS")]
    assert report.rows_kept == 3
    assert pd.Timestamp("2026-03-02 02:00", tz="UTC") in set(log.events["timestamp"])


def test_all_naive_without_a_zone_is_a_mapping_error(tmp_path):
    """No zone is assumed: the whole export naive and no zone stated is one message naming the field."""
    with pytest.raises(InputError, match=r"\[TS_NAIVE\].*field 'timestamps.timezone'|field 'timestamps.timezone'.*\[TS_NAIVE\]"):
        load(tmp_path, CLEAN, MAPPING.replace('timezone = "Asia/Shanghai"\n', ""))


def test_a_missing_required_column(tmp_path):
    with pytest.raises(InputError) as caught:
        load(tmp_path, [r[:4] for r in CLEAN], columns=("Ticket No", "Status", "Updated", "Update #"))
    assert "[COLUMN_MISSING]" in str(caught.value) and "case_attributes.zone" in str(caught.value)


REPEATED = ("Ticket No", "Status", "Updated", "Update #", "Area", "Area")


def _repeated_rows() -> list[tuple]:
    """CLEAN with a second "Area" column that holds the district."""
    return [(*row, "north") for row in CLEAN]


@pytest.mark.parametrize("kind", ["csv", "zip", "xlsx"])
def test_a_repeated_column_is_never_read_silently(tmp_path, kind):
    """Two "Area" columns: a mapping naming "Area" stops, naming both columns and the numbered names."""
    frame = pd.DataFrame(_repeated_rows(), columns=list(REPEATED))
    path = tmp_path / f"export.{kind}"
    if kind == "csv":
        frame.to_csv(path, index=False)
    elif kind == "zip":
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("export.csv", frame.to_csv(index=False))
    else:
        frame.to_excel(path, index=False)
    (tmp_path / "mapping.toml").write_text(MAPPING)
    with pytest.raises(InputError) as caught:
        load_events(path, tmp_path / "mapping.toml", as_of=AS_OF)
    message = str(caught.value)
    assert message.startswith(f"{tmp_path / 'mapping.toml'}: field 'case_attributes.zone': [COLUMN_AMBIGUOUS]"), message
    assert "'Area' 2 times (columns 5 and 6)" in message and "'Area#1', 'Area#2'" in message


def test_a_mapping_picks_one_of_the_repeated_columns_by_its_number(tmp_path):
    (tmp_path / "mapping.toml").write_text(MAPPING.replace('zone = "Area"', 'zone = "Area#1"\ndistrict = "Area#2"'))
    frame = pd.DataFrame(_repeated_rows(), columns=list(REPEATED))
    frame.to_csv(tmp_path / "export.csv", index=False)
    log, report = load_events(tmp_path / "export.csv", tmp_path / "mapping.toml", as_of=AS_OF)
    assert (report.rows_read, report.rows_kept) == (7, 7)
    cases = log.cases.set_index(log.cases["case_id"].astype(str))
    assert cases.loc["T1", "zone"] == "city" and cases.loc["T2", "zone"] == "suburb"
    assert set(cases["district"].astype(str)) == {"north"}


def test_a_canonical_log_with_a_repeated_column_is_refused(tmp_path):
    path = tmp_path / "log.csv"
    path.write_text("case_id,activity,timestamp,activity\nT1,ticket_logged,2026-03-02T09:00:00+08:00,dispatched\n")
    with pytest.raises(InputError) as caught:
        read_log(path)
    assert str(caught.value) == (f"{path}: header: field 'activity': the header names column 'activity' 2 times "
                                 "(columns 2 and 4); expected one column per name: rename or drop the repeats")


def test_a_case_that_lost_a_row_is_invalid_in_the_rules(tmp_path):
    """T1's dispatch row is unreadable: dispatch-4h says invalid with the code, not met nor never dispatched."""
    rows = list(CLEAN)
    rows[1] = ("T1", "Assigned", "yesterday", "1", "city")
    log, _ = load(tmp_path, rows)
    results = check(log, as_of=AS_OF).results
    t1 = results[results["case_id"] == "T1"]
    assert set(t1["status"].astype(str)) == {"invalid"}
    assert set(t1["reason"].astype(str)) == {"TS_UNPARSEABLE"}


def test_a_repaired_activity_counts_as_repaired(tmp_path):
    rows = list(CLEAN)
    rows[4] = ("T1", " done ", "2/3/2026 12:00", "4", "city")
    log, report = load(tmp_path, rows)
    assert report.rows_repaired == 1 and list(report.issues["code"]) == ["ACTIVITY_NORMALISED"]


@pytest.mark.parametrize("kind", ["parquet", "xlsx", "zip"])
def test_other_formats(tmp_path, kind):
    frame = pd.DataFrame(CLEAN, columns=["Ticket No", "Status", "Updated", "Update #", "Area"])
    if kind == "parquet":
        path = tmp_path / "export.parquet"
        frame.to_parquet(path)
    elif kind == "xlsx":
        path = tmp_path / "export.xlsx"
        frame.to_excel(path, index=False)
    else:
        path = tmp_path / "export.zip"
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("inner/export.csv", frame.to_csv(index=False))
    (tmp_path / "mapping.toml").write_text(MAPPING)
    _, report = load_events(path, tmp_path / "mapping.toml", as_of=AS_OF)
    assert (report.rows_read, report.rows_kept) == (7, 7) and report.issues.empty


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[columns]\ncase_id = 'a'\nactivity = 'b'\n", "field 'columns.timestamp': is missing"),
        (MAPPING.replace("[case_constants]", "[case_constant]"), "field 'case_constant': is not a known field"),
        (MAPPING.replace("Asia/Shanghai", "Asia/Shangai"), "field 'timestamps': unknown time zone 'Asia/Shangai'"),
        (MAPPING.replace('unknown = "quarantine"', "").replace("[activities.map]", '[activities]\nunknown = "ignore"\n[activities.map]'), "field 'activities.unknown'"),
    ],
)
def test_mapping_mistakes_are_one_line(tmp_path, text, expected):
    path = tmp_path / "mapping.toml"
    path.write_text(text)
    with pytest.raises(InputError) as caught:
        load_mapping(path)
    assert str(caught.value).startswith(f"{path}: {expected}"), str(caught.value)


# -- properties ----------------------------------------------------------------
cell = st.one_of(st.sampled_from(["T1", "T2", "T3", "?", "", " T1"]))
status = st.sampled_from(["Logged", "Assigned", "On hold", "On site", "Done", "done ", "Teleported", "?", ""])
stamp = st.one_of(
    st.builds(lambda d, h, m: f"{d}/3/2026 {h:02d}:{m:02d}", st.integers(1, 31), st.integers(0, 23), st.integers(0, 59)),
    st.sampled_from(["31/2/2026 10:00", "nonsense", "?", "", "8/3/2026 02:30", "1/4/2026 09:00"]),
)
row_st = st.tuples(cell, status, stamp, st.integers(0, 5).map(str), st.sampled_from(["city", "suburb", "?"]))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(row_st, min_size=1, max_size=25))
def test_every_row_is_accounted_for(tmp_path, rows):
    """Whatever the export, rows read = kept + quarantined, and each source row is in exactly one of them."""
    log, report = load(tmp_path, rows)
    assert report.rows_read == report.rows_kept + report.rows_quarantined == len(rows)
    kept = log.events.loc[log.events["activity"].astype(str).isin(["customer_delay", "customer_ready"]) == False, "source_row"]  # noqa: E712
    assert sorted(kept) == sorted(set(kept))
    assert set(kept).isdisjoint(set(report.quarantined["source_row"]))
    assert set(kept) | set(report.quarantined["source_row"]) == set(range(1, len(rows) + 1))
    json.dumps(report.to_json())


WORDS = {"ticket_logged": "Logged", "dispatched": "Assigned", "arrived_on_site": "On site", "completed": "Done"}
event_st = st.tuples(st.sampled_from(["A", "B", "C"]), st.sampled_from(sorted(WORDS)), st.integers(0, 20 * 24 * 60))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(events=st.lists(event_st, min_size=1, max_size=20, unique_by=lambda e: (e[0], e[2])), zones=st.fixed_dictionaries({k: st.sampled_from(["city", "remote"]) for k in "ABC"}))
def test_a_clean_export_round_trips(tmp_path, events, zones):
    """A canonical log written in the source's layout and loaded back through the mapping is the same log."""
    start = pd.Timestamp("2026-03-02 00:00", tz="Asia/Shanghai")
    canonical = pd.DataFrame([(c, a, start + pd.Timedelta(minutes=m)) for c, a, m in events], columns=["case_id", "activity", "timestamp"])
    canonical = canonical.sort_values(["case_id", "timestamp"], kind="stable").reset_index(drop=True)
    source = [(c, WORDS[a], f"{t.day}/{t.month}/{t.year} {t:%H:%M}", str(i), zones[c]) for i, (c, a, t) in enumerate(canonical.itertuples(index=False))]
    log, report = load(tmp_path, source)
    assert report.issues.empty and report.rows_kept == len(source)
    back = log.events.sort_values(["case_id", "timestamp"], kind="stable").reset_index(drop=True)
    assert list(back["case_id"].astype(str)) == list(canonical["case_id"])
    assert list(back["activity"].astype(str)) == list(canonical["activity"])
    assert list(back["timestamp"]) == list(canonical["timestamp"].dt.tz_convert("UTC"))
    assert log.cases.set_index("case_id")["zone"].to_dict() == {c: zones[c] for c in canonical["case_id"].unique()}


# -- the real log ----------------------------------------------------------------
ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "uci-incident-log"
EXCERPT = ROOT / "tests" / "fixtures" / "uci" / "incident_event_log_excerpt.csv"
FULL = ROOT.parent / "shared" / "data" / "uci-incident-log" / "incident_event_log_readable.zip"
COMPLETE = ROOT.parent / "shared" / "data" / "uci-incident-log" / "incident_event_log_full.zip"


def test_the_uci_excerpt_through_the_example_mapping_and_rules():
    """The committed excerpt: the -100 rows quarantined, their incident invalid, back-in-time updates flagged."""
    log, report = load_events(EXCERPT, EXAMPLE / "mapping.toml", as_of="2017-03-01T00:00:00+00:00")
    assert report.rows_read == 410 and report.rows_quarantined == 2
    assert set(report.quarantined["incident_state"]) == {"-100"}
    assert set(report.issues.loc[report.issues["code"] == "OUT_OF_ORDER", "case_id"]) == {"INC0000130", "INC0000134", "INC0000135", "INC0000137"}
    assert log.cases.set_index("case_id").loc["INC0028089", "invalid_reason"] == "UNKNOWN_ACTIVITY"
    assert (log.events["activity"] == "awaiting_started").sum() == (log.events["activity"] == "awaiting_ended").sum() > 0
    result = check(log, EXAMPLE / "rules.toml", as_of="2017-03-01T00:00:00+00:00")
    resolve = result.summary.set_index("rule_id").loc["resolve"]
    assert resolve["cases"] == 64 and resolve["invalid"] == 1
    assert (result.results["paused"] > pd.Timedelta(0)).any()


@pytest.mark.skipif(not FULL.exists(), reason="shared/data/uci-incident-log is not beside this clone")
def test_the_whole_uci_log_end_to_end(tmp_path):
    """The command of the how-to, on the real 119,998 rows: every row accounted for."""
    code = main(["check", str(FULL), "--mapping", str(EXAMPLE / "mapping.toml"), "--rules", str(EXAMPLE / "rules.toml"),
                 "--as-of", "2017-03-01T00:00:00+00:00", "--out", str(tmp_path)])
    assert code == 0
    summary = json.loads((tmp_path / "validation.json").read_text())
    assert (summary["rows_read"], summary["rows_kept"], summary["rows_quarantined"]) == (119998, 119996, 2)
    assert summary["issues_by_code"]["UNKNOWN_ACTIVITY"] == 2
    assert len(pd.read_csv(tmp_path / "issues.csv")) == sum(summary["issues_by_code"].values())


@pytest.mark.skipif(not COMPLETE.exists(), reason="shared/data/uci-incident-log is not beside this clone")
def test_the_complete_uci_copy_with_its_damaged_header():
    """The complete copy (141,712 rows, header damaged, bare-number values) through its own mapping."""
    log, report = load_events(COMPLETE, EXAMPLE / "mapping-full.toml", as_of="2017-03-01T00:00:00+00:00")
    assert report.rows_read == report.rows_kept + report.rows_quarantined == 141712
    assert report.rows_quarantined == 5 and log.n_cases == 24918
    result = check(log, EXAMPLE / "rules.toml", as_of="2017-03-01T00:00:00+00:00")
    resolve = result.results[result.results["rule_id"] == "resolve"]
    # the special targets match the bare priority numbers of this copy
    assert set(resolve["target"].dropna().unique()) == {pd.Timedelta(h, "h") for h in (4, 8, 96, 14 * 24)}


def test_cli_mapping_mistake_is_one_line(tmp_path, capsys):
    (tmp_path / "m.toml").write_text("[columns]\ncase_id = 1\n")
    assert main(["check", str(export(tmp_path, CLEAN)), "--mapping", str(tmp_path / "m.toml")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(tmp_path / "m.toml") in err


def test_the_issue_code_table_in_the_docs_matches_the_code():
    """docs/reference/mapping.md lists exactly the codes the loader can raise, in order."""
    import re

    from svcsim.live import ISSUE_CODES

    text = (ROOT / "docs" / "reference" / "mapping.md").read_text()
    assert re.findall(r"^\| `([A-Z_]+)` \|", text, flags=re.M) == list(ISSUE_CODES)


def test_an_export_with_an_undecodable_byte_names_its_line_and_column(tmp_path):
    """A byte the mapping's encoding cannot decode stops the load with its line and column, and says where to state the encoding."""
    path = tmp_path / "export.csv"
    path.write_bytes(b"Ticket No,Status,Updated\nT1,Logged,2/3/2026 09:00\nT1,Assign\xe9d,2/3/2026 10:00\n")
    mapping = tmp_path / "mapping.toml"
    mapping.write_text('[columns]\ncase_id = "Ticket No"\nactivity = "Status"\ntimestamp = "Updated"\n'
                       '[timestamps]\nformat = "%d/%m/%Y %H:%M"\ntimezone = "Asia/Shanghai"\n'
                       '[activities.map]\n"Logged" = "ticket_logged"\n"Assigned" = "dispatched"\n')
    with pytest.raises(InputError) as caught:
        load_events(path, mapping, as_of="2026-03-31T00:00:00+08:00")
    assert str(caught.value) == (f"{path}: line 3, column 10: byte 0xe9 is not valid utf-8; expected an export saved as utf-8, "
                                 "or the file's encoding in the mapping's source.encoding")


def test_a_case_event_that_opens_its_case_comes_first_at_its_instant(tmp_path):
    """An incident opened and resolved in the same minute: opened_at (a case event) must come before the update."""
    from svcsim.live import load_events
    from svcsim.rules import check, parse_rules

    export = tmp_path / "export.csv"
    export.write_text("number,state,updated,opened,n\n"
                      "INC1,Resolved,01/03/2016 09:00,01/03/2016 09:00,1\n"
                      "INC2,Active,01/03/2016 09:00,01/03/2016 08:00,1\n"
                      "INC2,Resolved,01/03/2016 10:00,01/03/2016 08:00,2\n")
    for seq in ('seq = "n"', ""):
        mapping = tmp_path / "mapping.toml"
        mapping.write_text(f'[columns]\ncase_id = "number"\nactivity = "state"\ntimestamp = "updated"\n{seq}\n'
                           '[timestamps]\nformat = "%d/%m/%Y %H:%M"\ntimezone = "UTC"\n'
                           '[activities.map]\n"Active" = "dispatched"\n"Resolved" = "completed"\n'
                           '[case_constants]\ncase_type = "ticket"\n[case_events]\nticket_logged = "opened"\n')
        log, report = load_events(export, mapping)
        assert report.events_derived == 2
        rules = parse_rules('version = 1\n[[rules]]\nid = "r"\nkind = "duration"\nstart = "ticket_logged"\n'
                            'stop = "completed"\nbasis = "wall"\ntarget = "4h"\n', source="rules.toml")
        summary = check(log, rules, as_of="2016-03-02T00:00:00+00:00").summary.set_index("rule_id")
        assert summary.loc["r", "met"] == 2, (seq, summary)
