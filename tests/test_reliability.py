"""Bad input gets one clear line and loses nothing: the examples of the reliability issue, each with its message.

Each test is a user's mistake reproduced from the project's own files; the
assertion is on the message a user reads, not only on the exit status.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from svcsim import InputError
from svcsim.live import load_events, load_mapping
from svcsim.textfiles import decode_user_bytes

MAPPING = """
[source]
missing = ["?"]
[columns]
case_id = "Ticket No"
activity = "Status"
timestamp = "Updated"
[timestamps]
format = "%d/%m/%Y %H:%M"
timezone = "Asia/Shanghai"
[activities.map]
"Logged" = "ticket_logged"
"Assigned" = "dispatched"
[case_constants]
case_type = "ticket"
"""
AS_OF = "2026-03-31T00:00:00+08:00"


def _mapping(tmp_path, text: str = MAPPING):
    path = tmp_path / "mapping.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_mapping_naming_an_unknown_encoding(tmp_path):
    path = _mapping(tmp_path, MAPPING.replace('missing = ["?"]', 'missing = ["?"]\nencoding = "nope"'))
    with pytest.raises(InputError) as caught:
        load_mapping(path)
    assert str(caught.value) == (f"{path}: field 'source.encoding': unknown encoding 'nope'; expected a codec "
                                 "name such as 'utf-8', 'latin-1', 'cp1252' or 'gb18030'")


def test_a_mapping_with_a_two_character_delimiter(tmp_path):
    path = _mapping(tmp_path, MAPPING.replace('missing = ["?"]', 'missing = ["?"]\ndelimiter = ";;"'))
    with pytest.raises(InputError) as caught:
        load_mapping(path)
    assert str(caught.value) == (f"{path}: field 'source.delimiter': the delimiter ';;' is 2 characters; "
                                 "expected exactly one, such as ',' ';' or '\\t'")


def test_a_mapping_saved_in_latin_1_names_the_byte_line_and_column(tmp_path):
    path = tmp_path / "mapping.toml"
    path.write_bytes(MAPPING.replace('"Logged"', '"Enregistr\xe9"').encode("latin-1"))
    with pytest.raises(InputError) as caught:
        load_mapping(path)
    line = MAPPING.encode().split(b"\n").index(b'"Logged" = "ticket_logged"') + 1
    assert str(caught.value) == (f"{path}: line {line}, column 11: byte 0xe9 is not valid utf-8; expected a "
                                 "mapping file (TOML) saved as utf-8 (re-save it as UTF-8)")


def test_a_byte_order_mark_is_not_part_of_the_text():
    assert decode_user_bytes("\ufeff[a]\n".encode("utf-8"), file="f.toml", what="a file") == "[a]\n"


def test_a_folder_where_a_mapping_file_is_expected(tmp_path):
    with pytest.raises(InputError) as caught:
        load_mapping(tmp_path)
    assert str(caught.value) == f"{tmp_path}: is a folder; expected a mapping file (TOML)"


def test_a_timestamp_column_mixing_formats_quarantines_the_odd_rows(tmp_path):
    """An ISO stamp with an offset in a day-first column is unparseable under the stated format: that row
    is quarantined, the rest is loaded (it used to end in an AttributeError)."""
    rows = [("T1", "Logged", "2/3/2026 09:00"), ("T1", "Assigned", "2026-03-02T10:00:00+08:00"),
            ("T2", "Logged", "2/3/2026 11:00"), ("T2", "Assigned", "3/3/2026 09:00")]
    export = tmp_path / "export.csv"
    pd.DataFrame(rows, columns=["Ticket No", "Status", "Updated"]).to_csv(export, index=False)
    log, report = load_events(export, _mapping(tmp_path), as_of=AS_OF)
    assert report.issues["code"].tolist() == ["TS_UNPARSEABLE"]
    assert report.issues["source_row"].tolist() == [2]
    assert len(log.events) == 3


@pytest.mark.parametrize("kind", ["scenario", "rules"])
def test_a_scenario_or_rules_file_saved_in_latin_1(tmp_path, kind):
    """A file saved in Latin-1 is one line naming the byte's line and column (it was a UnicodeDecodeError)."""
    from svcsim.rules import load_rules
    from svcsim.scenario import load_scenario

    path = tmp_path / f"{kind}.toml"
    path.write_bytes('# centre de service\nname = "Montr\xe9al"\n'.encode("latin-1"))
    with pytest.raises(InputError) as caught:
        (load_scenario if kind == "scenario" else load_rules)(path)
    assert str(caught.value) == (f"{path}: line 2, column 14: byte 0xe9 is not valid utf-8; expected a "
                                 f"{kind} file (TOML) saved as utf-8 (re-save it as UTF-8)")


def test_the_command_line_says_it_in_one_line(tmp_path, capsys):
    from svcsim.cli import main

    path = tmp_path / "center.toml"
    path.write_bytes('name = "Montr\xe9al"\n'.encode("latin-1"))
    assert main(["run", str(path), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err == f"svcsim: error: {path}: line 1, column 14: byte 0xe9 is not valid utf-8; expected a scenario file (TOML) saved as utf-8 (re-save it as UTF-8)\n"


# -- one bad row never stops a check -------------------------------------------------------------
def _sample_with(tmp_path, **changes):
    """The bundled sample log with one more row: a copy of its fourth row (T0000001 dispatched) with ``changes``."""
    from importlib import resources

    with resources.as_file(resources.files("svcsim.data").joinpath("sample_log.csv")) as path:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    extra = frame.iloc[[3]].assign(**changes)
    out = tmp_path / "log.csv"
    pd.concat([frame, extra]).to_csv(out, index=False)
    return out, len(frame) + 1


def test_a_canonical_log_with_a_row_dated_1970_is_checked_with_that_row_quarantined(tmp_path, capsys):
    """It used to stop the whole check with a calendar-coverage error about the rules' years."""
    from svcsim.cli import main

    path, row = _sample_with(tmp_path, timestamp="1970-01-02T10:00:00+08:00")
    assert main(["check", str(path), "--out", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    assert f"rows read {row:,} = kept {row - 1:,} + quarantined 1" in out
    assert "TS_OUTSIDE_CALENDAR              1  the timestamp is in a year a rule's calendar does not cover" in out
    issues = pd.read_csv(tmp_path / "out" / "issues.csv")
    assert issues.to_dict("records") == [{
        "source_row": row, "case_id": "T0000001", "column": "timestamp", "code": "TS_OUTSIDE_CALENDAR",
        "message": "'1970-01-02T02:00:00+00:00' is outside the years of calendar 'service' (2001-2026)",
        "action": "quarantined"}]
    results = pd.read_parquet(tmp_path / "out" / "results.parquet")
    assert set(results.loc[results["case_id"] == "T0000001", "status"]) == {"invalid"}


def test_a_live_export_with_a_row_dated_1970_quarantines_that_row(tmp_path):
    from svcsim.rules import load_rules

    rows = [("T1", "Logged", "2/3/2026 09:00"), ("T1", "Assigned", "2/1/1970 10:00"),
            ("T2", "Logged", "2/3/2026 11:00"), ("T2", "Assigned", "3/3/2026 09:00")]
    export = tmp_path / "export.csv"
    pd.DataFrame(rows, columns=["Ticket No", "Status", "Updated"]).to_csv(export, index=False)
    log, report = load_events(export, _mapping(tmp_path), as_of=AS_OF, rules=load_rules(None))
    assert (report.rows_read, report.rows_kept, report.rows_quarantined) == (4, 3, 1)
    assert report.issues[["source_row", "code", "message"]].values.tolist() == [
        [2, "TS_OUTSIDE_CALENDAR", "'2/1/1970 10:00' is outside the years of calendar 'service' (2001-2026)"]]
    assert log.cases.set_index("case_id")["invalid_reason"].fillna("").to_dict() == {"T1": "TS_OUTSIDE_CALENDAR", "T2": ""}


# -- what the rules would pass over is said, and --strict makes it an error -----------------------
UNKNOWN_TELEPORTED = ("1 row has an activity no rule and no vocabulary knows: 'teleported' (1 row); the rules pass "
                      "over them (map them, or list them in the rules' [activities] extra)")


def test_a_canonical_log_with_an_activity_no_rule_knows_is_warned_about(tmp_path, capsys):
    from svcsim.cli import main

    path, _ = _sample_with(tmp_path, activity="teleported")
    assert main(["check", str(path)]) == 0
    out = capsys.readouterr().out
    assert "ACTIVITY_NOT_JUDGED              1  no rule and no vocabulary knows the activity" in out
    assert f"  warning: {UNKNOWN_TELEPORTED}\n" in out


def test_strict_turns_the_warning_into_exit_status_2(tmp_path, capsys):
    from svcsim.cli import main

    path, _ = _sample_with(tmp_path, activity="teleported")
    assert main(["check", str(path), "--strict"]) == 2
    captured = capsys.readouterr()
    assert f"  warning: {UNKNOWN_TELEPORTED}\n" in captured.out
    assert captured.err == ("svcsim: error: field '--strict': 1 warning about the log (above); expected no warnings: "
                            "map the activities named or list them in the rules, or leave out --strict\n")


def test_a_clean_log_passes_strict(capsys):
    from svcsim.cli import main

    assert main(["check", "--strict"]) == 0
    assert "warning" not in capsys.readouterr().out


def test_a_mapping_to_an_activity_no_rule_knows_and_an_unmapped_interval_state(tmp_path, capsys):
    from svcsim.cli import main

    text = MAPPING.replace('"Assigned" = "dispatched"', '"Assigned" = "dispatched"\n"Closed" = "ticket_clsed"\n'
                           '"Waiting" = "waiting_parts"')
    text += '[[activities.intervals]]\nstates = ["waiting_part"]\npause = "customer_delay"\nresume = "parts_received"\n'
    mapping = _mapping(tmp_path, text)
    rows = [("T1", "Logged", "2/3/2026 09:00"), ("T1", "Assigned", "2/3/2026 10:00"),
            ("T1", "Waiting", "2/3/2026 11:00"), ("T1", "Closed", "3/3/2026 10:00")]
    export = tmp_path / "export.csv"
    pd.DataFrame(rows, columns=["Ticket No", "Status", "Updated"]).to_csv(export, index=False)
    assert main(["check", str(export), "--mapping", str(mapping), "--as-of", AS_OF]) == 0
    out = capsys.readouterr().out
    assert (f"  warning: {mapping}: field 'activities.intervals.0.states': 'waiting_part' is not an activity the map "
            "produces, so no row can enter that interval (map a status to it)\n") in out
    assert ("  warning: 1 row has an activity no rule and no vocabulary knows: 'ticket_clsed' (mapped from 'Closed'; "
            "1 row); the rules pass over them") in out
    assert main(["check", str(export), "--mapping", str(mapping), "--as-of", AS_OF, "--strict"]) == 2
    assert "2 warnings about the log (above)" in capsys.readouterr().err


def test_a_canonical_log_with_a_seq_that_is_not_a_number(tmp_path, capsys):
    """It used to be read as no order at all, silently."""
    from svcsim.cli import main

    path = tmp_path / "log.csv"
    path.write_text("case_id,activity,timestamp,seq\nT1,ticket_logged,2026-03-02T09:00:00+08:00,1\n"
                    "T1,dispatched,2026-03-02T10:00:00+08:00,two\n", encoding="utf-8")
    assert main(["check", str(path)]) == 2
    assert capsys.readouterr().err == (
        f"svcsim: error: {path}: field 'seq': row 2: 'two' is not a number (1 such row(s)); expected a number "
        "giving the order of narration within a case, or an empty cell\n")


# -- an unexpected error is still a bug report --------------------------------------------------
@pytest.fixture
def broken_check(monkeypatch):
    """``svcsim check`` with a bug in it."""
    from svcsim.cli import check

    def boom(args):  # noqa: ANN001, ANN202
        raise RuntimeError("the engine fell over")

    monkeypatch.setattr(check, "check_command", boom)


def test_a_bug_is_one_line_a_saved_traceback_and_exit_status_3(broken_check, tmp_path, monkeypatch, capsys):
    import re

    from svcsim.cli import main

    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    assert main(["check"]) == 3
    err = capsys.readouterr().err
    saved = next(tmp_path.glob("svcsim-traceback-*.txt"))
    assert err == (
        "svcsim: internal error: RuntimeError: the engine fell over\n"
        f"svcsim: this is a bug in svcsim, not a mistake in your input; the full traceback is in {saved}. "
        "Please report it to the svcsim maintainers with that traceback (svcsim --debug shows it here).\n")
    assert "Traceback" not in err
    text = saved.read_text(encoding="utf-8")
    assert re.match(r"svcsim \S+, Python \S+, arguments \['check'\]\n\nTraceback \(most recent call last\):", text)
    assert text.endswith("RuntimeError: the engine fell over\n")


def test_debug_shows_the_traceback_instead(broken_check, tmp_path, monkeypatch, capsys):
    from svcsim.cli import main

    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    assert main(["--debug", "check"]) == 3
    err = capsys.readouterr().err
    assert err.startswith("Traceback (most recent call last):\n")
    assert err.endswith("RuntimeError: the engine fell over\nsvcsim: internal error: RuntimeError: the engine fell over\n")
    assert not list(tmp_path.glob("svcsim-traceback-*.txt"))


# -- the public functions check their arguments where the call comes in --------------------------
LOG_HINT = ("; read one with svcsim.read_log(path) or svcsim.load_events(path, mapping), "
            "or make one from a table with svcsim.EventLog.from_flat(frame)")


def _sample_log():
    from importlib import resources

    import svcsim

    with resources.as_file(resources.files("svcsim.data").joinpath("sample_log.csv")) as path:
        return svcsim.read_log(path)


@pytest.mark.parametrize(("call", "kind", "message"), [
    (lambda s: s.check(42), TypeError, "check(): log must be an EventLog, not 42 (int)" + LOG_HINT),
    (lambda s: s.check(pd.DataFrame({"case_id": ["T1"]})), TypeError,
     "check(): log must be an EventLog, not a pandas DataFrame" + LOG_HINT),
    (lambda s: s.check(_sample_log(), rules=1.5), TypeError,
     "check(): rules must be a RuleSet or a rules file (a path as str or pathlib.Path or None), not 1.5 (float)"),
    (lambda s: s.check(_sample_log(), threads=0), InputError, "field 'threads': 0 given to check(); expected a whole number >= 1"),
    (lambda s: s.simulate("tiny", seed="abc"), TypeError, "simulate(): seed must be a whole number >= 0, not 'abc' (str)"),
    (lambda s: s.simulate("tiny", seed=-1), InputError, "field 'seed': -1 given to simulate(); expected a whole number >= 0"),
    (lambda s: s.simulate("tiny", seed=1.5), TypeError, "simulate(): seed must be a whole number >= 0, not 1.5 (float)"),
    (lambda s: s.simulate("tiny", seed=2.0), TypeError, "simulate(): seed must be a whole number >= 0, not 2.0 (float)"),
    (lambda s: s.simulate("tiny", replication=-1), InputError,
     "field 'replication': -1 given to simulate(); expected a whole number >= 0"),
    (lambda s: s.load_events("export.csv", mapping=3), TypeError,
     "load_events(): mapping must be a Mapping or a mapping file (a path as str or pathlib.Path or None), not 3 (int)"),
    (lambda s: s.load_events(None), TypeError,
     "load_events(): path must be an export file (a path as str or pathlib.Path), not None (NoneType)"),
    (lambda s: s.read_log(3), TypeError,
     "read_log(): path must be an event log file or directory (a path as str or pathlib.Path), not 3 (int)"),
    (lambda s: s.load_rules(2), TypeError,
     "load_rules(): path must be a rules file (a path as str or pathlib.Path or None), not 2 (int)"),
], ids=["check-42", "check-dataframe", "check-rules-float", "check-threads-0", "seed-text", "seed-negative",
        "seed-float", "seed-whole-float", "replication-negative", "load_events-mapping-3", "load_events-path-None",
        "read_log-3", "load_rules-2"])
def test_a_wrong_argument_names_the_parameter_and_what_was_expected(call, kind, message):
    import svcsim

    with pytest.raises(kind) as caught:
        call(svcsim)
    assert str(caught.value) == message
    assert type(caught.value) in (TypeError, InputError)


def test_a_numpy_integer_seed_is_a_whole_number():
    import numpy as np

    import svcsim

    assert svcsim.simulate("tiny", seed=np.int64(3), days=1).seed == 3


# -- the command line names the option, before any work ------------------------------------------
def test_days_beyond_the_calendar_names_days(capsys):
    """It used to answer with a calendar error about field 'calendar.years' that did not say --days."""
    from svcsim.cli import main

    assert main(["run", "tiny", "--quiet", "--days", "100000"]) == 2
    assert capsys.readouterr().err == (
        "svcsim: error: field '--days': --days 100000: the run would go past the years the scenario's calendar "
        "covers (bad years (2025, 2298)); expected fewer days, so that the run ends within those years\n")


def test_days_beyond_the_holidays_the_package_knows_names_days_for_replications_too(capsys):
    from svcsim.cli import main

    assert main(["compare", "tiny", "tiny", "--quiet", "--no-cache", "--replications", "2", "--days", "700"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("svcsim: error: field '--days': --days 700: the run would go past the years the "
                          "scenario's calendar covers (years 2025-2027 go beyond the years the holidays package "
                          "knows the CN calendar for (2001-2026))"), err


def test_an_out_folder_where_nothing_can_be_made_is_refused_before_the_run(tmp_path, monkeypatch, capsys):
    """The permission bits can say yes where a mkdir fails (a read-only mount, /proc): a real try says it first."""
    import tempfile

    import svcsim.simulation
    from svcsim.cli import main

    def read_only(**kwargs):  # noqa: ANN003, ANN202
        raise OSError(30, "Read-only file system")

    def forbidden(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise AssertionError("the run started before --out was checked")

    monkeypatch.setattr(tempfile, "mkdtemp", read_only)
    monkeypatch.setattr(svcsim.simulation, "simulate", forbidden)
    assert main(["run", "tiny", "--quiet", "--out", str(tmp_path / "new")]) == 2
    assert capsys.readouterr().err == (
        f"svcsim: error: field '--out': --out {tmp_path / 'new'}: nothing can be made in {tmp_path} "
        "(Read-only file system); expected a folder this user may write into\n")


# -- docs/reference/errors.md: every example runs and says what the page says ----------------------
ERRORS_PAGE = Path(__file__).resolve().parents[1] / "docs" / "reference" / "errors.md"


def _error_page_files(folder: Path) -> None:
    """The files the examples of docs/reference/errors.md name."""
    (folder / "center.toml").write_bytes('name = "Montr\xe9al"\n'.encode("latin-1"))
    (folder / "export.csv").write_text("Ticket No,Status,Updated\nT1,Logged,2/3/2026 09:00\n", encoding="utf-8")
    (folder / "semicolons.toml").write_text(MAPPING.replace('missing = ["?"]', 'missing = ["?"]\ndelimiter = ";;"'),
                                            encoding="utf-8")
    (folder / "bad-seq.csv").write_text("case_id,activity,timestamp,seq\nT1,ticket_logged,2026-03-02T09:00:00+08:00,1\n"
                                        "T1,dispatched,2026-03-02T10:00:00+08:00,two\n", encoding="utf-8")
    for name, changes in (("log-with-1970.csv", {"timestamp": "1970-01-02T10:00:00+08:00"}),
                          ("log-with-teleported.csv", {"activity": "teleported"})):
        _sample_with(folder, **changes)[0].rename(folder / name)


def test_the_command_line_examples_of_the_errors_page(tmp_path, monkeypatch, capsys):
    import doctest
    import re
    import shlex

    from svcsim.cli import main

    _error_page_files(tmp_path)
    monkeypatch.chdir(tmp_path)
    blocks = re.findall(r"```console\n(.*?)```", ERRORS_PAGE.read_text(encoding="utf-8"), flags=re.DOTALL)
    assert len(blocks) == 7
    checker = doctest.OutputChecker()
    for block in blocks:
        command, *shown, status = block.rstrip("\n").split("\n")
        assert command.startswith("$ svcsim "), block
        code = main(shlex.split(command.removeprefix("$ svcsim ")))
        captured = capsys.readouterr()
        got = captured.out + captured.err
        want = "\n".join(shown) + "\n"
        assert checker.check_output(want, got, doctest.ELLIPSIS), f"{command}\n--- the page says\n{want}--- svcsim says\n{got}"
        assert status == f"(exit status {code})", command


def test_the_python_examples_of_the_errors_page():
    import doctest
    import re

    text = ERRORS_PAGE.read_text(encoding="utf-8")
    blocks = re.findall(r"```pycon\n(.*?)```", text, flags=re.DOTALL)
    assert blocks
    test = doctest.DocTestParser().get_doctest("\n".join(blocks), {}, "errors.md", str(ERRORS_PAGE), 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test)
    assert runner.summarize(verbose=False).failed == 0


# -- docs/reference/mapping.md: an example row for every issue code, each loaded here --------------
#: code -> (the export's rows after its header "Ticket No,Status,Updated[,extra]", what differs from the
#: mapping above (MAPPING), the extra column and its mapping line). The page's "example" cell is made of these.
ISSUE_EXAMPLES = {
    "CASE_ID_NULL": ([",Logged,2/3/2026 09:00"], "", None),
    "ACTIVITY_NULL": (["T1,,2/3/2026 09:00"], "", None),
    "UNKNOWN_ACTIVITY": (["T1,Escalated,2/3/2026 09:00"], "", None),
    "ACTIVITY_NORMALISED": (["T1, logged ,2/3/2026 09:00"], "", None),
    "TS_NULL": (["T1,Logged,"], "", None),
    "TS_UNPARSEABLE": (["T1,Logged,2026-03-02 09:00"], "", None),
    "TS_NAIVE": (["T1,Logged,2026-03-02T09:00", "T1,Assigned,2026-03-02T10:00:00+08:00"], "no format, no timezone", None),
    "TS_NONEXISTENT": (["T1,Logged,29/3/2026 02:30"], 'timezone = "Europe/Berlin"', None),
    "TS_AMBIGUOUS": (["T1,Logged,26/10/2025 02:30"], 'timezone = "Europe/Berlin"', None),
    "TS_MIXED_OFFSETS": (["T1,Logged,2026-03-02T09:00:00+09:00"], "no format", None),
    "TS_FUTURE": (["T1,Logged,2/4/2026 09:00"], "", None),
    "TS_OUTSIDE_CALENDAR": (["T1,Assigned,2/1/1970 10:00"], "", None),
    "DUPLICATE": (["T1,Logged,2/3/2026 09:00", "T1,Logged,2/3/2026 09:00"], "", None),
    "OUT_OF_ORDER": (["T1,Logged,2/3/2026 09:00", "T1,Assigned,2/3/2026 08:00"], "", None),
    "ATTR_CONFLICT": (["T1,Logged,2/3/2026 09:00,High", "T1,Assigned,2/3/2026 10:00,Low"], "",
                      ("Priority", '[case_attributes] priority = "Priority"')),
    "CASE_EVENT_UNPARSEABLE": (["T1,Logged,2/3/2026 09:00,soon"], "",
                               ("Opened", '[case_events] call_received = "Opened"')),
    "ACTIVITY_NOT_JUDGED": (["T1,Closed,3/3/2026 10:00"], '"Closed" = "ticket_clsed" in [activities.map]', None),
}


def _example_cell(rows: list[str], change: str, extra: tuple[str, str] | None) -> str:
    cell = " then ".join(f"`{row}`" for row in rows)
    notes = [f"a column `{extra[0]}`, `{extra[1]}`"] if extra else []
    notes += [f"`{change}`"] if change else []
    return cell + (f" ({'; '.join(notes)})" if notes else "")


def _example_mapping(change: str, extra: tuple[str, str] | None) -> str:
    text = MAPPING
    if "no format" in change:
        text = text.replace('format = "%d/%m/%Y %H:%M"\n', "")
    if "no timezone" in change:
        text = text.replace('timezone = "Asia/Shanghai"\n', "")
    if change.startswith("timezone ="):
        text = text.replace('timezone = "Asia/Shanghai"', change)
    if "[activities.map]" in change:
        text = text.replace('"Assigned" = "dispatched"', '"Assigned" = "dispatched"\n"Closed" = "ticket_clsed"')
    if extra:
        section, line = extra[1].split("] ")
        text += f"{section}]\n{line}\n"
    return text


def test_the_issue_code_table_has_an_example_row_for_every_code():
    import re

    from svcsim.live import ISSUE_CODES

    page = (Path(__file__).resolve().parents[1] / "docs" / "reference" / "mapping.md").read_text(encoding="utf-8")
    cells = dict(re.findall(r"^\| `([A-Z_]+)` \|[^|]*\|[^|]*\| (.*) \|$", page, flags=re.M))
    assert list(cells) == list(ISSUE_CODES) == list(ISSUE_EXAMPLES)
    for code, example in ISSUE_EXAMPLES.items():
        assert cells[code] == _example_cell(*example), code


@pytest.mark.parametrize("code", list(ISSUE_EXAMPLES))
def test_each_example_row_of_the_issue_code_table_gives_its_code(tmp_path, code):
    from svcsim.rules import load_rules

    rows, change, extra = ISSUE_EXAMPLES[code]
    header = "Ticket No,Status,Updated" + (f",{extra[0]}" if extra else "")
    export = tmp_path / "export.csv"
    export.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    _, report = load_events(export, _mapping(tmp_path, _example_mapping(change, extra)), as_of=AS_OF,
                            rules=load_rules(None))
    assert code in set(report.issues["code"]), report.issues


# -- the command-line examples of the issue, each with the line a user reads ----------------------
@pytest.mark.parametrize(("argv", "message"), [
    (["run", "tiny", "--replications", "0"], "field '--replications': --replications 0; expected a whole number >= 1"),
    (["run", "tiny", "--replications", "-3"], "field '--replications': --replications -3; expected a whole number >= 1"),
    (["run", "tiny", "--seed", "-1"], "field '--seed': --seed -1; expected a whole number >= 0"),
    (["run", "tiny", "--replication", "-1"], "field '--replication': --replication -1; expected a whole number >= 0"),
    (["run", "tiny", "--out", "{file}"], "field '--out': --out {file}: is a file; expected a folder to write the tables into"),
    (["run", "tiny", "--out", "{file}/below"],
     "field '--out': --out {file}/below: {file} is a file; expected a folder that can be created"),
    (["run", "tiny", "--replications", "2", "--cache", "{file}"],
     "field '--cache': --cache {file}: is a file; expected a folder to write the tables into"),
], ids=["replications-0", "replications-negative", "seed-negative", "replication-negative", "out-a-file",
        "out-under-a-file", "cache-a-file"])
def test_the_command_line_examples_of_the_issue(argv, message, tmp_path, capsys):
    from svcsim.cli import main

    a_file = tmp_path / "a_file.txt"
    a_file.write_text("not a folder\n", encoding="utf-8")
    argv = [arg.replace("{file}", str(a_file)) for arg in argv]
    assert main([*argv, "--quiet"]) == 2
    assert capsys.readouterr().err == f"svcsim: error: {message.replace('{file}', str(a_file))}\n"


BEYOND_RULES = """
[[rules]]
id = "dispatch"
kind = "duration"
start = "ticket_logged"
stop = "dispatched"
pause = "customer_delay"
resume = "customer_ready"
target = "4h"
basis = "calendar"
[[rules]]
id = "vendor"
kind = "ladder"
start = "sent_to_vendor"
stop = "returned_from_vendor"
basis = "calendar"
[[rules.milestones]]
id = "vendor-1d"
requires = "vendor_confirmed"
after = "2h"
[[rules.milestones]]
id = "vendor-3d"
requires = "vendor_confirmed"
after = "3d"
repeat_every = "1d"
[[rules]]
id = "repeat-7d"
kind = "recurrence"
after = "completed"
repeat = "ticket_logged"
key = ["device_id"]
window = "7d"
basis = "calendar"
"""


def _late_december_log():
    from logs import make_log

    return make_log([
        ("T1", "ticket_logged", "2026-12-31 16:00"),  # 4 service hours later is in 2027
        ("T2", "ticket_logged", "2026-12-30 10:00"), ("T2", "dispatched", "2026-12-30 11:00"),
        ("T3", "sent_to_vendor", "2026-12-31 09:00"),
        ("T4", "ticket_logged", "2026-12-29 09:00"), ("T4", "completed", "2026-12-31 10:00"),
        ("T5", "customer_delay", "2026-12-31 11:00"),
    ], cases={"T4": {"device_id": "D4"}})


def test_a_deadline_after_the_calendars_last_year_makes_that_row_invalid_not_the_check():
    """A valid row whose business-time deadline falls in a year the calendar does not cover used to stop
    the whole check with a calendar-coverage error; now that row is invalid, with the reason, and the rest is judged."""
    from rulesets import rules

    from svcsim import check

    result = check(_late_december_log(), rules(BEYOND_RULES), as_of="2026-12-31T17:00:00+08:00").results
    judged = result.set_index(["rule_id", "case_id", "repeat"])[["status", "reason"]]
    reason = "deadline beyond the calendar's years 2001-2026"
    assert judged.loc[("dispatch", "T1", 1)].tolist() == ["invalid", reason]
    assert judged.loc[("dispatch", "T2", 1), "status"] == "met"
    assert judged.loc[("vendor-1d", "T3", 1), "status"] == "breached_open"
    assert judged.loc[("vendor-3d", "T3", 1)].tolist() == ["invalid", reason]
    assert judged.loc[("repeat-7d", "T4", 1)].tolist() == ["invalid", reason]
    assert result.loc[result["status"] == "invalid", "due"].isna().all()


def test_the_oracle_agrees_on_rows_beyond_the_calendar():
    from compare import engine_vs_oracle
    from rulesets import rules

    from svcsim import check
    from svcsim.rules.oracle import check_oracle

    log, ruleset, as_of = _late_december_log(), rules(BEYOND_RULES), "2026-12-31T17:00:00+08:00"
    diff = engine_vs_oracle(check(log, ruleset, as_of=as_of).results, check_oracle(log, ruleset, as_of=as_of))
    assert diff.empty, diff


def test_the_command_line_checks_a_log_whose_last_deadline_is_after_the_calendar(tmp_path, capsys):
    """`svcsim check` on a ticket logged 2026-12-31 16:00 with no dispatch: exit 0, the row counted invalid."""
    from svcsim.cli import main

    path = tmp_path / "late.csv"
    path.write_text("case_id,activity,timestamp,case_type\n"
                    "T1,ticket_logged,2026-12-31T16:00:00+08:00,ticket\n"
                    "T2,ticket_logged,2026-12-30T10:00:00+08:00,ticket\n"
                    "T2,dispatched,2026-12-30T11:00:00+08:00,ticket\n", encoding="utf-8")
    assert main(["check", str(path), "--out", str(tmp_path / "out")]) == 0
    results = pd.read_parquet(tmp_path / "out" / "results.parquet").set_index(["rule_id", "case_id"])
    assert results.loc[("dispatch-4h", "T1"), ["status", "reason"]].tolist() == [
        "invalid", "deadline beyond the calendar's years 2001-2026"]
    assert results.loc[("dispatch-4h", "T2"), "status"] == "met"


def test_simulate_names_days_when_the_run_would_outlast_the_calendar():
    """`simulate(scenario, days=100000)` used to answer with a calendar error about years 2025-2298."""
    import svcsim

    with pytest.raises(InputError) as caught:
        svcsim.simulate("tiny", days=100000)
    assert str(caught.value) == (
        "field 'days': simulate(days=100000): the run would go past the years the scenario's calendar covers "
        "(bad years (2025, 2298)); expected fewer days, so that the run ends within those years")


def test_simulate_refuses_a_float_number_of_days_instead_of_truncating_it():
    import svcsim

    with pytest.raises(TypeError, match=r"^simulate\(\): days must be a whole number >= 1, not 3\.5 \(float\)$"):
        svcsim.simulate("tiny", days=3.5)


@pytest.mark.parametrize("function", ["replicate", "compare", "sweep"])
@pytest.mark.parametrize(("given", "error", "message"), [
    ({"seed": -1}, InputError, "field 'seed': -1 given to {f}(); expected a whole number >= 0"),
    ({"seed": 1.5}, TypeError, "{f}(): seed must be a whole number >= 0, not 1.5 (float)"),
    ({"replications": 0}, InputError, "field 'replications': 0 given to {f}(); expected a whole number >= 1"),
    ({"replications": 2.0}, TypeError, "{f}(): replications must be a whole number >= 1, not 2.0 (float)"),
    ({"jobs": 0}, InputError, "field 'jobs': 0 given to {f}(); expected a whole number >= 1"),
    ({"days": 3.5}, TypeError, "{f}(): days must be a whole number >= 1, not 3.5 (float)"),
    ({"days": 0}, InputError, "field 'days': 0 given to {f}(); expected a whole number >= 1"),
    ({"warmup": "2"}, TypeError, "{f}(): warmup must be a whole number of days >= 0, not '2' (str)"),
    ({"warmup": -1, "days": 30}, InputError,
     "field 'warmup': warmup = -1 days; expected a whole number of days from 0 to 3660, simulated before the horizon"),
    ({"warmup": 2.5, "days": 30}, InputError,
     "field 'warmup': warmup = 2.5 days; expected a whole number of days from 0 to 3660, simulated before the horizon"),
])
def test_the_replication_functions_check_their_arguments_before_any_run(function, given, error, message):
    import svcsim

    call = {
        "replicate": lambda **kw: svcsim.replicate("tiny", **kw),
        "compare": lambda **kw: svcsim.compare("tiny", "tiny", **kw),
        "sweep": lambda **kw: svcsim.sweep("tiny", {"staffing.field_engineers.count": [2]}, **kw),
    }[function]
    with pytest.raises(error) as caught:
        call(**given)
    assert str(caught.value) == message.format(f=function)


def test_month_codes_of_a_missing_timestamp_are_minus_one_without_a_warning():
    """An invalid case's row has no start; its month code was NaN cast to int64 (RuntimeWarning, arbitrary number)."""
    import warnings

    from svcsim.metrics._log import local_month_codes

    ts = pd.Series(pd.to_datetime(["2026-03-31T20:00:00Z", None], utc=True))
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        codes = local_month_codes(ts, "Asia/Shanghai")
    assert codes.tolist() == [2026 * 12 + 3, -1]  # 04:00 on 1 April in Shanghai; NaT on no month


def test_a_scenario_asking_for_too_many_calls_is_refused_before_any_work():
    from svcsim.scenario import load_scenario, with_changes
    from svcsim.simulation import simulate

    huge = with_changes(load_scenario("tiny"), {"demand.calls_per_day.mon": 1e9})
    with pytest.raises(InputError, match=r"demand.calls_per_day.*about 1,000,000,120 calls.*at most 20,000,000"):
        simulate(huge)
