"""Bad input gets one clear line and loses nothing: the examples of the reliability issue, each with its message.

Each test is a user's mistake reproduced from the project's own files; the
assertion is on the message a user reads, not only on the exit status.
"""

from __future__ import annotations

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
