"""The canonical event log: reading, writing, shape checks, the vocabulary's reference table."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from logs import make_log

from svcsim import EventLog, InputError, read_log, write_log
from svcsim.eventlog import ACTIVITIES

DOCS = Path(__file__).resolve().parents[1] / "docs"


def story():
    return make_log(
        [("T1", "ticket_logged", "2026-03-02 09:00"), ("T1", "dispatched", "2026-03-02 10:00"), ("I1", "item_received", "2026-03-02 11:00")],
        {"T1": {"case_type": "ticket", "zone": "city", "device_id": "D1"}, "I1": {"case_type": "item", "parent_id": "T1"}},
    )


@pytest.mark.parametrize("name", ["log.csv", "log.parquet", "logdir"])
def test_round_trip(tmp_path, name):
    """Written and read back, in any of the three layouts, the log is the same."""
    log = story()
    back = read_log(write_log(log, tmp_path / name))
    cols = ["case_id", "activity", "timestamp"]
    pd.testing.assert_frame_equal(back.events[cols].astype({"case_id": str, "activity": str}), log.events[cols].astype({"case_id": str, "activity": str}))
    got = back.cases.set_index("case_id")
    assert got.loc["T1", "zone"] == "city" and got.loc["I1", "parent_id"] == "T1"


@pytest.mark.parametrize("name", ["log.csv", "log.parquet"])
def test_a_case_attribute_may_share_its_name_with_an_event_attribute(tmp_path, name):
    """``part`` on events (the spare a request is about) and on item cases survives a flat file."""
    log = story()
    events = log.events.assign(part=pd.Series([None, "SKU-A", None], dtype=object).to_numpy())
    cases = log.cases.assign(part=log.cases["case_id"].map({"I1": "SKU-B"}).astype(object),
                             item_kind=log.cases["case_id"].map({"I1": "doa"}).astype(object))
    flat = EventLog.from_frames(events, cases).to_flat()
    assert {"part", "case:part", "case:item_kind"} <= set(flat.columns)
    back = read_log(write_log(EventLog.from_frames(events, cases), tmp_path / name))
    parts = back.events.set_index("activity")["part"]
    assert parts["dispatched"] == "SKU-A" and parts.drop("dispatched").isna().all()
    got = back.cases.set_index("case_id")
    assert got.loc["I1", "part"] == "SKU-B" and got.loc["I1", "item_kind"] == "doa"
    assert pd.isna(got.loc["T1", "part"])


def test_a_canonical_csv_needs_no_mapping(tmp_path):
    """Offsets in the text, case attributes repeated on each row: read as is."""
    path = tmp_path / "export.csv"
    path.write_text(
        "case_id,activity,timestamp,case_type,zone\n"
        "T1,ticket_logged,2026-03-02T09:00:00+08:00,ticket,city\n"
        "T1,dispatched,2026-03-02T02:00:00Z,ticket,\n"
    )
    log = read_log(path)
    assert list(log.events["timestamp"]) == [pd.Timestamp("2026-03-02 01:00", tz="UTC"), pd.Timestamp("2026-03-02 02:00", tz="UTC")]
    assert log.cases.set_index("case_id").loc["T1", "zone"] == "city"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("case_id,activity\nT1,x\n", "field 'timestamp': missing column(s) ['timestamp']"),
        ("case_id,activity,timestamp\nT1,a,2026-03-02T09:00+08:00\nT1,b,2026-03-02 10:00\n", "field 'timestamp': row 2: '2026-03-02 10:00' has no UTC offset"),
        ("case_id,activity,timestamp\nT1,a,yesterday+08:00\n", "field 'timestamp': row 1: 'yesterday+08:00' is not a date-time"),
        ("case_id,activity,timestamp\n,a,2026-03-02T09:00+08:00\n", "field 'case_id': row 1: 1 empty value(s)"),
        ("case_id,activity,timestamp,zone\nT1,a,2026-03-02T09:00+08:00,city\nT1,b,2026-03-02T10:00+08:00,suburb\n", "field 'zone': case 'T1' has different values ['city', 'suburb'] on different rows"),
    ],
)
def test_shape_errors_name_file_field_and_row(tmp_path, body, expected):
    path = tmp_path / "bad.csv"
    path.write_text(body)
    with pytest.raises(InputError) as caught:
        read_log(path)
    assert str(caught.value).startswith(f"{path}: {expected}")


def test_naive_timestamps_in_a_frame_are_refused():
    frame = pd.DataFrame({"case_id": ["T1"], "activity": ["a"], "timestamp": [pd.Timestamp("2026-03-02 09:00")]})
    with pytest.raises(InputError, match="no time zone"):
        EventLog.from_frames(frame)


def test_case_ids_become_text_once_at_construction():
    """Categorical case ids of any kind end up with text categories, the cases table's ids too (prepare relies on it)."""
    at = pd.to_datetime(["2026-03-02 09:00+08:00"] * 4, utc=True)
    events = pd.DataFrame({
        "case_id": pd.Categorical([2, 1, 2, 3], categories=pd.Index([3, 1, 2], dtype=object)),
        "activity": ["ticket_logged"] * 4, "timestamp": at,
    })
    log = EventLog.from_frames(events)
    ids = log.events["case_id"]
    assert isinstance(ids.cat.categories.dtype, pd.StringDtype)
    assert ids.astype(str).tolist() == ["2", "1", "2", "3"]
    assert isinstance(log.cases["case_id"].dtype, pd.StringDtype)
    assert log.cases["case_id"].tolist() == ["2", "1", "3"]  # order of first appearance

    clash = events.assign(case_id=pd.Categorical([1, "1", 2, 2], categories=pd.Index([1, "1", 2], dtype=object)))
    merged = EventLog.from_frames(clash)
    assert merged.events["case_id"].astype(str).tolist() == ["1", "1", "2", "2"]
    assert merged.cases["case_id"].tolist() == ["1", "2"]


def test_to_pm4py_names():
    flat = story().to_pm4py()
    assert {"case:concept:name", "concept:name", "time:timestamp"} <= set(flat.columns)


def test_vocabulary_reference_table_matches_the_code():
    """docs/reference/eventlog.md lists exactly the activities defined in code, in order."""
    text = (DOCS / "reference" / "eventlog.md").read_text()
    documented = re.findall(r"^\| `([a-z_]+)` \| (ticket|item) \|", text, flags=re.M)
    assert documented == [(a.name, a.case_type) for a in ACTIVITIES]


def test_a_canonical_csv_with_an_undecodable_byte_names_its_line_and_column(tmp_path):
    """A Latin-1 byte in a UTF-8 log: one line naming the file, the line, the column and the byte, not a codec traceback."""
    path = tmp_path / "log.csv"
    path.write_bytes(b"case_id,activity,timestamp\nT1,ticket_logged,2026-03-02T09:00:00+08:00\n"
                     b"T\xe91,dispatched,2026-03-02T10:00:00+08:00\n")
    with pytest.raises(InputError) as caught:
        read_log(path)
    assert str(caught.value) == (f"{path}: line 3, column 2: byte 0xe9 is not valid utf-8; "
                                 "expected a canonical log saved as UTF-8 (re-save it as UTF-8)")
