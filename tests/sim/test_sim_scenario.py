"""Scenarios: frozen, validated data with a default for every field; mistakes name file and field."""

from __future__ import annotations

import pytest

from svcsim.errors import InputError
from svcsim.scenario import Scenario, builtin_names, load_scenario, scenario_schema, with_changes
from svcsim.scenarios import mmc, mmc_abandon


def test_builtin_scenarios_load():
    assert {"baseline", "tiny"} <= set(builtin_names())
    base = load_scenario("baseline")
    assert base.name == "baseline" and base.staffing.field_engineers.count == 11
    assert load_scenario("tiny").horizon_days == 7


def test_every_field_has_a_default_and_the_scenario_is_frozen():
    scenario = Scenario()
    with pytest.raises(Exception):  # noqa: B017 - pydantic's frozen-instance error
        scenario.horizon_days = 3  # type: ignore[misc]


def test_with_changes_copies_and_leaves_the_original():
    base = load_scenario("baseline")
    more = with_changes(base, {"staffing.field_engineers": 14, "times.repair": {"dist": "gamma", "a": 2.0, "scale": 20.0}})
    assert more.staffing.field_engineers.count == 14 and base.staffing.field_engineers.count == 11
    assert more.times.repair.dist == "gamma" and more.staffing.field_engineers.shared is True
    with pytest.raises(InputError, match="no such field"):
        with_changes(base, {"staffing.pilots": 3})


def test_with_changes_names_a_list_element_by_position_or_key():
    """A part by its SKU or position (what `svcsim sweep --set spares.parts.MB-100.base_stock=...` uses)."""
    base = load_scenario("baseline")
    lean = with_changes(base, {"spares.parts.MB-100.base_stock": 10, "spares.parts.4.base_stock": 3})
    assert [p.base_stock for p in lean.spares.parts] == [10, 50, 56, 58, 3]
    assert [p.base_stock for p in base.spares.parts] == [74, 50, 56, 58, 42]
    replaced = with_changes(base, {"spares.parts.PSU-350": {**base.spares.parts[1].model_dump(), "unit_cost": 1.0}})
    assert replaced.spares.parts[1].unit_cost == 1.0 and replaced.spares.parts[1].sku == "PSU-350"
    with pytest.raises(InputError) as caught:
        with_changes(base, {"spares.parts.XX-1.base_stock": 1})
    assert str(caught.value) == ("field 'spares.parts.XX-1.base_stock': no element 'XX-1' in 'spares.parts.XX-1.base_stock'; "
                                 "expected a position 0-4 or one of ['MB-100', 'PSU-350', 'LCD-15', 'SSD-512', 'FAN-KIT']")


@pytest.mark.parametrize(
    ("text", "field", "words"),
    [
        ('[times]\nrepair = { dist = "norm", loc = 30, scale = 5 }\n', "times.repair", "non-negative"),
        ('[times]\nrepair = { dist = "lognormal", s = 0.5 }\n', "times.repair", "scipy.stats"),
        ("[staffing.operators]\ncount = -2\n", "staffing.operators.count", "a value >= 0"),
        ("[demand]\nmix = { question = 1, gossip = 2 }\n", "demand.mix", "call kind"),
        ("horizon = 5\n", "horizon", "unknown field"),
        ('timezone = "Mars/Olympus"\n', "timezone", "IANA"),
    ],
)
def test_a_mistake_names_the_file_the_field_and_what_was_expected(tmp_path, text, field, words):
    path = tmp_path / "center.toml"
    path.write_text(text)
    with pytest.raises(InputError) as caught:
        load_scenario(path)
    message = str(caught.value)
    assert str(path) in message and f"field '{field}'" in message and words in message
    assert "expected" in message


def test_not_toml_and_no_such_scenario_are_input_errors(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text("name = \n")
    with pytest.raises(InputError, match="not valid TOML"):
        load_scenario(path)
    with pytest.raises(InputError, match="baseline"):
        load_scenario("nowhere")


def test_validation_queues():
    queue = mmc(9, 1, 10)
    assert queue.staffing.operators.count == 10 and queue.patience is None
    assert queue.times.handle.mean() == pytest.approx(60.0)
    assert mmc_abandon(9, 1, 10, 2).patience.mean() == pytest.approx(30.0)
    with pytest.raises(InputError):
        mmc(0, 1, 3)


def test_schema_is_json_schema_of_the_scenario():
    schema = scenario_schema()
    assert schema["type"] == "object" and "staffing" in schema["properties"]


def test_a_closures_file_beside_the_scenario_closes_and_opens_dates(tmp_path):
    """A closures CSV named by the scenario (relative to it) closes a Wednesday and opens a Saturday."""
    import pandas as pd

    from svcsim.simulation import simulate

    (tmp_path / "site.csv").write_text("date,kind,hours,note\n2025-03-05,closed,,stocktaking\n"
                                       "2025-03-08,open,09:00-12:00,launch\n2027-01-04,closed,,not simulated\n")
    (tmp_path / "s.toml").write_text('name = "site"\nhorizon_days = 7\n[calendar]\nclosures = "site.csv"\n')
    scenario = load_scenario(tmp_path / "s.toml")
    assert [(str(c.date), c.kind, c.hours) for c in scenario.calendar.closures][:2] == [
        ("2025-03-05", "closed", ""), ("2025-03-08", "open", "09:00-12:00")]
    run = simulate(scenario)
    answered = run.events[run.events["activity"] == "call_answered"]
    days = set(answered["timestamp"].dt.tz_convert("Asia/Shanghai").dt.date.astype(str))
    assert "2025-03-05" not in days and "2025-03-08" in days
    same_inline = Scenario.model_validate({"name": "site", "horizon_days": 7, "calendar": {"closures": [
        {"date": "2025-03-05", "kind": "closed", "note": "stocktaking"},
        {"date": "2025-03-08", "kind": "open", "hours": "09:00-12:00", "note": "launch"},
        {"date": "2027-01-04", "kind": "closed", "note": "not simulated"}]}})
    assert same_inline == scenario
    assert pd.Series(simulate(same_inline).events["timestamp"]).equals(pd.Series(run.events["timestamp"]))


def test_a_bad_closures_row_names_the_csv_and_the_row(tmp_path):
    (tmp_path / "site.csv").write_text("date,kind\n2025-03-05,closed\n2025-03-06,shut\n")
    (tmp_path / "s.toml").write_text('[calendar]\nclosures = "site.csv"\n')
    with pytest.raises(InputError) as caught:
        load_scenario(tmp_path / "s.toml")
    message = str(caught.value)
    assert "site.csv" in message and "row 2" in message and "kind" in message and "shut" in message
    (tmp_path / "t.toml").write_text('[calendar]\nclosures = "absent.csv"\n')
    with pytest.raises(InputError, match="no such closures file"):
        load_scenario(tmp_path / "t.toml")
