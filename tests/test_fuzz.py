"""Fuzzing: whatever a file holds, svcsim accepts it or says what is wrong; nothing else.

Valid documents (the tiny scenario, the built-in rules, the UCI mapping, the
sample log) are damaged at random: keys deleted, added or given values of the
wrong type or out of range, bytes flipped, the text cut short or saved in
another encoding, cells and rows of a log garbled. The property: the input is
accepted and the work on it succeeds, or a ``svcsim.InputError`` is raised (a
``TypeError`` only where it is documented: a library argument of the wrong
kind). Each test prints how many cases it made of each kind (``pytest -rA``
shows it). A longer run: ``SVCSIM_FUZZ_EXAMPLES=2000 pytest tests/test_fuzz.py``.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import tomllib
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import svcsim
import svcsim.cli
from svcsim import InputError

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "svcsim/scenarios/tiny.toml"
RULES = ROOT / "svcsim/rules/default_rules.toml"
MAPPING = ROOT / "examples/uci-incident-log/mapping.toml"
EXPORT = ROOT / "tests/fixtures/uci/incident_event_log_excerpt.csv"
SAMPLE_LOG = ROOT / "svcsim/data/sample_log.csv"
AS_OF = "2017-03-01T00:00:00+00:00"
EXAMPLES = int(os.environ.get("SVCSIM_FUZZ_EXAMPLES", "0"))


def fuzz_settings(examples: int):  # noqa: ANN201
    return settings(max_examples=EXAMPLES or examples, deadline=None, derandomize=not EXAMPLES,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


# --- TOML documents as data, written back as TOML ---------------------------------------------------

def to_toml(doc: dict) -> str:
    """A document as TOML, every table inline (TOML says the same thing either way)."""
    return "".join(f"{_key(k)} = {_value(v)}\n" for k, v in doc.items())


def _key(key: str) -> str:
    return json.dumps(key, ensure_ascii=False)


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf") if math.isinf(value) else repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=True)
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(map(_value, value)) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(value)


def _paths(node: object, path: tuple = ()) -> list[tuple]:
    out = [path]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*path, i))
    return out


def _parent(doc: object, path: tuple) -> object:
    for step in path[:-1]:
        doc = doc[step]
    return doc


ODD_NUMBERS = st.sampled_from([-1, 0, 1, -10**6, 10**9, 2**63 - 1, -2**63, 0.5, -0.0, 1e308, math.nan, math.inf, -math.inf])
SCALARS = st.one_of(
    ODD_NUMBERS, st.integers(), st.floats(), st.booleans(), st.text(max_size=12),
    st.sampled_from(["", "mon", "08:30-12:00", "25:99-00:00", "ticket", "dispatched", "UTC", "Mars/Olympus", "2026-13-01"]),
    st.dates(), st.times(),
)
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
                      max_leaves=6)


def mutate(draw, doc: dict) -> tuple[dict, str]:
    """One change to the document: a key deleted, added, or its value replaced. Returns what was done."""
    paths = [p for p in _paths(doc) if p]
    path = draw(st.sampled_from(paths))
    parent = _parent(doc, path)
    kind = draw(st.sampled_from(["delete", "replace", "odd number", "extra key"]))
    if kind == "delete":
        del parent[path[-1]]
    elif kind == "replace":
        parent[path[-1]] = draw(VALUES)
    elif kind == "odd number":
        parent[path[-1]] = draw(ODD_NUMBERS)
    else:
        target = parent if isinstance(parent, dict) else doc
        target[draw(st.text(min_size=1, max_size=10))] = draw(VALUES)
    return doc, kind


def damage_bytes(draw, data: bytes) -> tuple[bytes, str]:
    """One change to the bytes: cut short, a byte changed, bytes inserted, or saved in another encoding."""
    kind = draw(st.sampled_from(["truncate", "flip", "insert", "latin-1", "utf-16", "bom"]))
    at = draw(st.integers(0, max(len(data) - 1, 0)))
    if kind == "truncate":
        return data[:at], kind
    if kind == "flip":
        return data[:at] + bytes([draw(st.integers(0, 255))]) + data[at + 1:], kind
    if kind == "insert":
        return data[:at] + draw(st.binary(min_size=1, max_size=8)) + data[at:], kind
    text = data.decode("utf-8") + "# é\n"
    if kind == "latin-1":
        return text.encode("latin-1", errors="replace"), kind
    if kind == "utf-16":
        return text.encode("utf-16"), kind
    return b"\xef\xbb\xbf" + data, kind


@st.composite
def documents(draw, path: Path) -> tuple[bytes, str]:
    """A damaged copy of the TOML file at ``path`` and how it was damaged."""
    text = path.read_bytes()
    if draw(st.booleans()):
        doc = tomllib.loads(text.decode("utf-8"))
        kinds = []
        for _ in range(draw(st.integers(1, 3))):
            doc, kind = mutate(draw, doc)
            kinds.append(kind)
        return to_toml(doc).encode("utf-8"), "+".join(kinds)
    return damage_bytes(draw, text)


def outcome(call, counts: Counter, kind: str, *, type_error: bool = False) -> object:  # noqa: ANN001
    """Run ``call``: return its value, or None after an InputError (or a documented TypeError)."""
    try:
        value = call()
    except InputError as error:
        assert "\n" not in str(error), str(error)
        counts[f"{kind}: InputError"] += 1
        return None
    except TypeError:
        if not type_error:
            raise
        counts[f"{kind}: TypeError"] += 1
        return None
    counts[f"{kind}: accepted"] += 1
    return value


def report(name: str, counts: Counter) -> None:
    """One line: the cases made, by their first damage, then the outcome of each stage."""
    damage = {k[len("damage "):]: v for k, v in counts.items() if k.startswith("damage ")}
    stages = {k: v for k, v in counts.items() if not k.startswith("damage ")}
    print(f"\nfuzz {name}: {sum(damage.values())} cases (" + ", ".join(f"{k} {v}" for k, v in sorted(damage.items()))
          + "); " + ", ".join(f"{k} {v}" for k, v in sorted(stages.items())))


def _counted(counts: Counter, kind: str) -> None:
    counts[f"damage {kind.split('+')[0]}"] += 1
    event(f"damage {kind.split('+')[0]}")


# --- the properties --------------------------------------------------------------------------------

def _small_log_lines(rows: int = 300) -> list[str]:
    """The header and the first few hundred rows of the sample log, cut at a case boundary."""
    lines = SAMPLE_LOG.read_text().splitlines()
    cut = rows
    while lines[cut].split(",")[0] == lines[cut - 1].split(",")[0]:
        cut += 1
    return lines[:cut]


SMALL_LOG_LINES = _small_log_lines()


@pytest.fixture(scope="module")
def small_log(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("fuzz") / "small_log.csv"
    path.write_text("\n".join(SMALL_LOG_LINES) + "\n")
    return path


def _big_numbers(node: object) -> bool:
    if isinstance(node, dict):
        return any(_big_numbers(v) for v in node.values())
    if isinstance(node, list):
        return any(map(_big_numbers, node))
    return isinstance(node, (int, float)) and not isinstance(node, bool) and not abs(node) <= 1000


SCENARIO_COUNTS: Counter = Counter()


@fuzz_settings(120)
@given(case=documents(SCENARIO))
def test_a_damaged_scenario_is_accepted_or_refused_in_one_line(case, tmp_path):
    """Parsing only, plus a one-day run of the accepted ones whose numbers stay small."""
    data, kind = case
    path = tmp_path / "center.toml"
    path.write_bytes(data)
    scenario = outcome(lambda: svcsim.load_scenario(path), SCENARIO_COUNTS, "load")
    _counted(SCENARIO_COUNTS, kind)
    if scenario is not None and not _big_numbers(tomllib.loads(data.decode("utf-8-sig"))):
        outcome(lambda: svcsim.simulate(scenario, days=1), SCENARIO_COUNTS, "1-day run")


def test_zz_scenario_counts():
    report("scenario", SCENARIO_COUNTS)


RULES_COUNTS: Counter = Counter()


@fuzz_settings(150)
@given(case=documents(RULES))
def test_damaged_rules_are_accepted_or_refused_in_one_line(case, tmp_path, small_log):
    """Accepted rules check the small log without failing."""
    data, kind = case
    path = tmp_path / "rules.toml"
    path.write_bytes(data)
    rules = outcome(lambda: svcsim.load_rules(path), RULES_COUNTS, "load")
    _counted(RULES_COUNTS, kind)
    if rules is not None:
        log = svcsim.read_log(small_log)
        outcome(lambda: svcsim.check(log, rules), RULES_COUNTS, "check")


def test_zz_rules_counts():
    report("rules", RULES_COUNTS)


MAPPING_COUNTS: Counter = Counter()


@fuzz_settings(120)
@given(case=documents(MAPPING))
def test_a_damaged_mapping_is_accepted_or_refused_in_one_line(case, tmp_path):
    """An accepted mapping loads the UCI excerpt through it."""
    data, kind = case
    path = tmp_path / "mapping.toml"
    path.write_bytes(data)
    outcome(lambda: svcsim.load_events(EXPORT, path, as_of=AS_OF), MAPPING_COUNTS, "load")
    _counted(MAPPING_COUNTS, kind)


def test_zz_mapping_counts():
    report("mapping", MAPPING_COUNTS)


GARBAGE_CELLS = st.one_of(
    st.text(max_size=10), st.sampled_from(["", "nan", "NaT", "-1", "1e400", "2026-02-30T10:00:00+08:00", "1970-01-01T00:00:00Z",
                                           "2026-08-31T10:12:42", "9999-12-31T23:59:59+14:00", '"', "a,b", "\x00"]),
)


@st.composite
def damaged_logs(draw) -> tuple[bytes, str]:
    """The small log with rows garbled: cells replaced, rows dropped or repeated, a column lost, the bytes damaged."""
    lines = list(SMALL_LOG_LINES)
    kinds = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["cell", "cell", "drop row", "drop row", "repeat row", "drop column", "header", "bytes"]))
        kinds.append(kind)
        row = draw(st.integers(1, len(lines) - 1))
        if kind == "cell":
            cells = lines[row].split(",")
            cells[draw(st.integers(0, len(cells) - 1))] = draw(GARBAGE_CELLS)
            lines[row] = ",".join(cells)
        elif kind == "drop row":
            del lines[row]
        elif kind == "repeat row":
            lines.insert(row, lines[row])
        elif kind == "drop column":
            column = draw(st.integers(0, len(lines[0].split(",")) - 1))
            lines = [",".join(c for i, c in enumerate(line.split(",")) if i != column) for line in lines]
        elif kind == "header":
            cells = lines[0].split(",")
            cells[draw(st.integers(0, len(cells) - 1))] = draw(st.sampled_from(["", "case_id", "Activity", "timestamp ", "x"]))
            lines[0] = ",".join(cells)
    data = ("\n".join(lines) + "\n").encode("utf-8")
    if "bytes" in kinds:
        data, byte_kind = damage_bytes(draw, data)
        kinds.append(byte_kind)
    return data, "+".join(kinds)


LOG_COUNTS: Counter = Counter()


@fuzz_settings(150)
@given(case=damaged_logs())
def test_a_damaged_log_is_checked_or_refused_in_one_line(case, tmp_path, small_log):
    """A readable log is screened and checked against the built-in rules; nothing else fails."""
    data, kind = case
    path = tmp_path / "log.csv"
    path.write_bytes(data)
    rules = svcsim.load_rules()

    def read_and_check():  # noqa: ANN202
        from svcsim.live import screen_log

        log, _ = screen_log(svcsim.read_log(path), rules, source=str(path))
        return svcsim.check(log, rules)

    outcome(read_and_check, LOG_COUNTS, "read and check")
    _counted(LOG_COUNTS, kind)


def test_zz_log_counts():
    report("log", LOG_COUNTS)


CLI_COUNTS: Counter = Counter()


@fuzz_settings(25)
@given(case=damaged_logs(), strict=st.booleans())
def test_the_command_line_on_a_damaged_log_exits_0_or_2_without_a_traceback(case, strict, tmp_path, small_log, capsys):
    data, kind = case
    path = tmp_path / "log.csv"
    path.write_bytes(data)
    status = svcsim.cli.main(["check", str(path), "--top", "1", *(["--strict"] if strict else [])])
    err = capsys.readouterr().err
    assert status in (0, 2), err
    assert "Traceback" not in err
    CLI_COUNTS[f"exit {status}"] += 1
    _counted(CLI_COUNTS, kind)


def test_zz_cli_counts():
    report("command line", CLI_COUNTS)


def test_a_parser_message_over_two_lines_is_one_line(tmp_path):
    """Found by the log fuzzing: pandas' "Expected 11 fields in line 3, saw 12" ends in a line break."""
    lines = list(SMALL_LOG_LINES)
    lines[2] += ",extra"
    path = tmp_path / "log.csv"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(InputError) as caught:
        svcsim.read_log(path)
    assert str(caught.value) == (f"{path}: cannot be read (ParserError: Error tokenizing data. C error: Expected 11 fields in "
                                 "line 3, saw 12); expected a readable CSV or Parquet file")
