"""A bad catalogue is an InputError that names the file, the row, the field and what was expected."""

from __future__ import annotations

import pandas as pd
import pytest
from metriclogs import center_story

from svcsim.errors import InputError
from svcsim.metrics import read_catalogue, spares_budget


def write(tmp_path, text: str):
    path = tmp_path / "catalogue.csv"
    path.write_text(text)
    return path


def test_a_good_catalogue_file_is_read(tmp_path):
    path = write(tmp_path, "sku,unit_cost,base_stock\nA,10,2\nB,20.5,\n")
    cat = read_catalogue(path)
    assert cat["sku"].tolist() == ["A", "B"] and cat["unit_cost"].tolist() == [10.0, 20.5]
    assert cat["base_stock"].iloc[0] == 2 and pd.isna(cat["base_stock"].iloc[1])
    assert spares_budget(center_story(), path)["sku"].tolist() == ["A", "B", "TOTAL"]


@pytest.mark.parametrize(
    ("text", "field", "row", "expected"),
    [
        ("sku,unit_cost\nA,10\nB,-1\n", "unit_cost", 2, "a cost >= 0"),
        ("sku,unit_cost\nA,ten\n", "unit_cost", 1, "a cost >= 0"),
        ("sku,unit_cost\nA,10\nB,\n", "unit_cost", 2, "a cost >= 0"),
        ("sku,unit_cost\nA,10\nA,11\n", "sku", 2, "each SKU once"),
        ("sku,unit_cost\n,10\n", "sku", 1, "a part number on every row"),
        ("sku,unit_cost,base_stock\nA,10,1.5\n", "base_stock", 1, "a whole number >= 0"),
        ("sku,unit_cost,new_buy_lead_time_days\nA,10,-3\n", "new_buy_lead_time_days", 1, "a number of days >= 0"),
        ("sku,price\nA,10\n", "unit_cost", None, "the columns sku, unit_cost"),
    ],
)
def test_mistakes_are_located(tmp_path, text, field, row, expected):
    path = write(tmp_path, text)
    with pytest.raises(InputError) as info:
        spares_budget(center_story(), path)
    err = info.value
    assert err.file == str(path) and err.field == field and err.row == row
    assert expected in err.expected
    assert str(path) in str(err) and f"field '{field}'" in str(err)


def test_a_missing_file_and_a_frame_are_named_too(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_catalogue(tmp_path / "nope.csv")
    with pytest.raises(InputError, match="<catalogue>: field 'unit_cost': row 1"):
        read_catalogue(pd.DataFrame({"sku": ["A"], "unit_cost": [-2]}))
