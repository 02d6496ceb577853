"""Limits an export cannot exceed: each a one-line error naming the file, what, the limit and the option."""

from __future__ import annotations

import gzip
import os
import re
import zipfile
from pathlib import Path

import pytest

import svcsim.cli
from svcsim import InputError, read_log
from svcsim.eventlog.limits import DEFAULT_LIMITS, GIB, Limits, check_lines
from svcsim.live import load_events

ROOT = Path(__file__).resolve().parents[1]
EXPORT = ROOT / "tests/fixtures/uci/incident_event_log_excerpt.csv"
MAPPING = ROOT / "examples/uci-incident-log/mapping.toml"
AS_OF = "2017-03-01T00:00:00+00:00"


def load(path: Path, **limits: int):
    return load_events(path, MAPPING, as_of=AS_OF, limits=Limits(**limits) if limits else None)


def test_a_gzipped_export_is_read_like_the_plain_one(tmp_path):
    """A .csv.gz export gives the same log as its plain CSV."""
    packed = tmp_path / "export.csv.gz"
    packed.write_bytes(gzip.compress(EXPORT.read_bytes()))
    plain, _ = load(EXPORT)
    log, _ = load(packed)
    assert log.events.equals(plain.events)


def test_a_gzipped_export_that_expands_past_the_limit_stops_with_the_option(tmp_path):
    """The limit is checked while expanding, so a small file cannot fill the memory."""
    packed = tmp_path / "export.csv.gz"
    packed.write_bytes(gzip.compress(EXPORT.read_bytes()))
    with pytest.raises(InputError) as caught:
        load(packed, max_expanded_bytes=10_000)
    message = str(caught.value)
    assert message.startswith(f"{packed}: field '--max-expanded-gib': it expands beyond 9.76562 KiB (the limit is 9.76562 KiB)")
    assert message.endswith("expected a smaller file, or a higher limit: svcsim check --max-expanded-gib N")


def test_a_zip_member_declaring_more_than_the_limit_is_refused_before_reading(tmp_path):
    """The declared size is enough to refuse; nothing is read."""
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        out.write(EXPORT, "export.csv")
    with pytest.raises(InputError, match=r"export.zip:export.csv: field '--max-expanded-gib': it would expand to "):
        load(archive, max_expanded_bytes=10_000)


def test_a_zip_bomb_is_refused_by_its_declared_size(tmp_path):
    """256 MiB of zeros, deflated to a quarter of a MiB, against a 64 MiB limit: refused at once."""
    archive = tmp_path / "bomb.zip"
    zero = b"0" * (64 * 1024 * 1024)
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out, out.open("bomb.csv", "w") as member:
        for _ in range(4):
            member.write(zero)
    assert archive.stat().st_size < 1024 * 1024
    with pytest.raises(InputError, match=r"it would expand to 256 MiB \(the limit is 64 MiB\)"):
        load(archive, max_expanded_bytes=64 * 1024 * 1024)


def test_a_member_named_with_dot_dot_is_read_in_memory_and_nothing_is_written(tmp_path):
    """Reading a zip never extracts: a member named ../escape.csv writes no file anywhere."""
    archive = tmp_path / "inner" / "export.zip"
    archive.parent.mkdir()
    with zipfile.ZipFile(archive, "w") as out:
        out.write(EXPORT, "../escape.csv")
    before = sorted(p for p in tmp_path.rglob("*"))
    cwd = os.getcwd()
    os.chdir(archive.parent)
    try:
        log, report = load(archive)
    finally:
        os.chdir(cwd)
    assert report.rows_read == 410
    assert sorted(p for p in tmp_path.rglob("*")) == before
    assert not (tmp_path / "escape.csv").exists()


def test_a_line_longer_than_the_limit_names_its_line(tmp_path):
    """The 6th line is made 3,000 bytes long; the limit is 2,000."""
    lines = EXPORT.read_text().splitlines(keepends=True)
    lines[5] = lines[5].rstrip("\n") + "," + "x" * 3000 + "\n"
    path = tmp_path / "export.csv"
    path.write_text("".join(lines))
    with pytest.raises(InputError) as caught:
        load(path, max_line_bytes=2000)
    assert str(caught.value).startswith(f"{path}: field '--max-line-mib': line 6 is ")
    assert "(the limit is 1.95312 KiB)" in str(caught.value)


def test_the_line_scan_measures_lines_across_its_blocks():
    """Lines that cross the scan's blocks are measured whole; the count of lines comes back."""
    assert check_lines(b"abc\ndefgh\nij\n", Limits(max_line_bytes=5), file="f") == 3
    assert check_lines(b"abc\r\ndefgh\r\nij", Limits(max_line_bytes=6), file="f") == 3
    assert check_lines(b"abcde\rfghij\rklmno", Limits(max_line_bytes=5), file="f") == 1  # old Mac line ends
    with pytest.raises(InputError, match="line 3 is 6 bytes long"):
        check_lines(b"abc\ndefgh\nijklmn\nop", Limits(max_line_bytes=5), file="f")
    with pytest.raises(InputError, match="line 2 is "):
        check_lines(b"a\n" + b"b" * 30, Limits(max_line_bytes=5), file="f")


def test_a_quoted_cell_over_several_lines_longer_than_the_limit(tmp_path):
    """A cell can be long without any line being long: the cell limit catches it, with its row."""
    lines = EXPORT.read_text().splitlines(keepends=True)
    cells = lines[3].split(",")
    cells[7] = '"' + "\n".join(["y" * 100] * 30) + '"'
    lines[3] = ",".join(cells)
    path = tmp_path / "export.csv"
    path.write_text("".join(lines))
    with pytest.raises(InputError) as caught:
        load(path, max_field_chars=2000)
    assert str(caught.value).startswith(
        f"{path}: field '--max-field-mib': row 3: a cell of column 'caller_id' is 3,029 characters long (the limit is 2,000)")


def test_more_columns_than_the_limit(tmp_path):
    header = ",".join(f"c{k}" for k in range(3000))
    path = tmp_path / "wide.csv"
    path.write_text(header + "\n" + ",".join("1" * 3000) + "\n")
    with pytest.raises(InputError, match=re.escape(f"{path}: field '--max-columns': the header has 3,000 columns (the limit is 2,000)")):
        load(path)


def test_the_command_line_raises_a_limit(tmp_path, capsys):
    """--max-expanded-gib lets the same file through; 0 is refused before any work."""
    packed = tmp_path / "export.csv.gz"
    packed.write_bytes(gzip.compress(EXPORT.read_bytes()))
    argv = ["check", str(packed), "--mapping", str(MAPPING), "--rules", str(ROOT / "examples/uci-incident-log/rules.toml"),
            "--as-of", AS_OF]
    assert svcsim.cli.main([*argv, "--max-expanded-gib", "0.000001"]) == 2
    assert "field '--max-expanded-gib': it expands beyond" in capsys.readouterr().err
    assert svcsim.cli.main(argv) == 0
    capsys.readouterr()
    assert svcsim.cli.main([*argv, "--max-columns", "0"]) == 2
    assert capsys.readouterr().err.strip() == "svcsim: error: field '--max-columns': --max-columns 0; expected a number > 0"


def test_the_defaults_are_those_of_the_errors_page():
    page = (ROOT / "docs/reference/errors.md").read_text()
    assert Limits(max_expanded_bytes=4 * GIB, max_line_bytes=1024**2, max_field_chars=1024**2, max_columns=2000) == DEFAULT_LIMITS
    for row in ("| `--max-expanded-gib` | 4 |", "| `--max-line-mib` | 1 |", "| `--max-field-mib` | 1 |", "| `--max-columns` | 2000 |"):
        assert row in page


# A canonical log (svcsim.read_log, `svcsim check LOG` without --mapping) is held to the same limits.

SAMPLE = ROOT / "svcsim/data/sample_log.csv"


def read(path: Path, **limits: int):
    return read_log(path, limits=Limits(**limits) if limits else None)


def test_a_canonical_log_may_come_gzipped_or_zipped(tmp_path):
    """A .csv.gz and a .zip holding one .csv give the same log as the plain CSV."""
    plain = read(SAMPLE)
    packed = tmp_path / "log.csv.gz"
    packed.write_bytes(gzip.compress(SAMPLE.read_bytes()))
    archive = tmp_path / "log.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        out.write(SAMPLE, "log.csv")
    assert read(packed).events.equals(plain.events)
    assert read(archive).events.equals(plain.events)


def test_a_gzipped_canonical_log_that_expands_past_the_limit(tmp_path):
    packed = tmp_path / "log.csv.gz"
    packed.write_bytes(gzip.compress(SAMPLE.read_bytes()))
    with pytest.raises(InputError) as caught:
        read(packed, max_expanded_bytes=10_000)
    assert str(caught.value) == (f"{packed}: field '--max-expanded-gib': it expands beyond 9.76562 KiB (the limit is 9.76562 KiB); "
                                 "expected a smaller file, or a higher limit: svcsim check --max-expanded-gib N")


def test_a_zipped_canonical_log_declaring_more_than_the_limit(tmp_path):
    """Refused by the member's declared size, before any byte is expanded."""
    archive = tmp_path / "log.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        out.write(SAMPLE, "log.csv")
    with pytest.raises(InputError) as caught:
        read(archive, max_expanded_bytes=10_000)
    assert str(caught.value) == (f"{archive}:log.csv: field '--max-expanded-gib': it would expand to 240.672 KiB "
                                 "(the limit is 9.76562 KiB); expected a smaller file, or a higher limit: svcsim check --max-expanded-gib N")


def test_a_parquet_canonical_log_declaring_more_than_the_limit(tmp_path):
    """A Parquet file is compressed too: the uncompressed size its metadata declares is checked first."""
    path = tmp_path / "log.parquet"
    read(SAMPLE).to_flat().to_parquet(path, index=False)
    with pytest.raises(InputError, match=re.escape(f"{path}: field '--max-expanded-gib': it would expand to ")) as caught:
        read(path, max_expanded_bytes=1_000)
    assert "(the limit is 1000 bytes)" in str(caught.value)


def test_a_canonical_line_longer_than_the_limit(tmp_path):
    lines = SAMPLE.read_text().splitlines(keepends=True)
    lines[5] = lines[5].rstrip("\n") + "x" * 3000 + "\n"
    path = tmp_path / "log.csv"
    path.write_text("".join(lines))
    with pytest.raises(InputError) as caught:
        read(path, max_line_bytes=2000)
    assert str(caught.value) == (f"{path}: field '--max-line-mib': line 6 is 3.02734 KiB long (the limit is 1.95312 KiB); "
                                 "expected a smaller file, or a higher limit: svcsim check --max-line-mib N")


def test_a_canonical_cell_over_several_lines_longer_than_the_limit(tmp_path):
    lines = SAMPLE.read_text().splitlines(keepends=True)
    cells = lines[3].split(",")
    cells[6] = '"' + "\n".join(["y" * 100] * 30) + '"'
    lines[3] = ",".join(cells)
    path = tmp_path / "log.csv"
    path.write_text("".join(lines))
    with pytest.raises(InputError) as caught:
        read(path, max_field_chars=2000)
    assert str(caught.value) == (f"{path}: field '--max-field-mib': row 3: a cell of column 'fault' is 3,029 characters long "
                                 "(the limit is 2,000); expected a smaller file, or a higher limit: svcsim check --max-field-mib N")


def test_a_canonical_log_with_more_columns_than_the_limit(tmp_path):
    lines = SAMPLE.read_text().splitlines()
    path = tmp_path / "wide.csv"
    path.write_text("\n".join([lines[0] + "," + ",".join(f"c{k}" for k in range(20)), lines[1] + "," * 20]) + "\n")
    with pytest.raises(InputError) as caught:
        read(path, max_columns=30)
    assert str(caught.value) == (f"{path}: field '--max-columns': the header has 31 columns (the limit is 30); "
                                 "expected a smaller file, or a higher limit: svcsim check --max-columns N")
    parquet = tmp_path / "wide.parquet"
    read(SAMPLE).to_flat().to_parquet(parquet, index=False)
    with pytest.raises(InputError, match=re.escape(f"{parquet}: field '--max-columns': the header has 11 columns (the limit is 5)")):
        read(parquet, max_columns=5)


def test_svcsim_check_applies_the_limits_to_a_canonical_log(tmp_path, capsys):
    """The same --max-* options hold for `svcsim check LOG` without --mapping; a higher limit lets the file through."""
    packed = tmp_path / "log.csv.gz"
    packed.write_bytes(gzip.compress(SAMPLE.read_bytes()))
    assert svcsim.cli.main(["check", str(packed), "--max-expanded-gib", "0.000001"]) == 2
    assert capsys.readouterr().err.strip() == (
        f"svcsim: error: {packed}: field '--max-expanded-gib': it expands beyond 1.04785 KiB (the limit is 1.04785 KiB); "
        "expected a smaller file, or a higher limit: svcsim check --max-expanded-gib N")
    assert svcsim.cli.main(["check", str(SAMPLE), "--max-columns", "5"]) == 2
    assert "field '--max-columns': the header has 11 columns (the limit is 5)" in capsys.readouterr().err
    assert svcsim.cli.main(["check", str(packed)]) == 0


def test_read_log_refuses_limits_of_the_wrong_kind():
    with pytest.raises(TypeError, match="limits"):
        read_log(SAMPLE, limits=5)
