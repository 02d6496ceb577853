"""A scenario as a TOML file that ``svcsim run`` loads as it is: the planner's ``plan.toml``.

The standard library reads TOML but does not write it, and a scenario's
data is simple (tables, arrays of tables, strings, numbers, booleans,
dates, lists of those), so this writes it directly. A field whose value is
``None`` is left out (it takes its default, which for every such field is
``None``), except ``patience``, written ``"none"`` as scenario files say
it. :func:`scenario_toml` checks its own output: the text is read back and
must validate to the same scenario, or it raises.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import tomllib
from typing import Any

__all__ = ["scenario_toml"]


def scenario_toml(scenario: Any, header: str = "") -> str:
    """``scenario`` (a :class:`~svcsim.Scenario`) as TOML text that validates back to it."""
    data = scenario.model_dump(mode="python")
    if data.get("patience") is None:
        data["patience"] = "none"
    lines = [f"# {line}".rstrip() for line in header.splitlines()]
    scalars = {k: v for k, v in data.items() if not _is_table(v) and not _is_table_array(v)}
    lines += [f"{k} = {_value(v)}" for k, v in scalars.items() if v is not None]
    for key, value in data.items():
        if key not in scalars:
            _table([key], value, lines)
    text = "\n".join(lines) + "\n"
    _same(scenario, text)
    return text


def _same(scenario: Any, text: str) -> None:
    from svcsim.scenario.model import Scenario

    back = Scenario.model_validate(tomllib.loads(text))
    if back.model_dump(mode="json") != scenario.model_dump(mode="json"):
        raise RuntimeError("plan.toml does not read back as the planned scenario")


def _is_table(value: Any) -> bool:
    return isinstance(value, dict)


def _is_table_array(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _table(keys: list[str], table: Any, lines: list[str]) -> None:
    if _is_table_array(table):
        for item in table:
            lines.append("")
            lines.append(f"[[{'.'.join(_key(k) for k in keys)}]]")
            _body(keys, item, lines)
        return
    lines.append("")
    lines.append(f"[{'.'.join(_key(k) for k in keys)}]")
    _body(keys, table, lines)


def _body(keys: list[str], table: dict, lines: list[str]) -> None:
    nested = []
    for key, value in table.items():
        if value is None:
            continue
        if _is_table_array(value) and any(_is_table_array(v) or _is_table(v) for item in value for v in item.values()):
            lines.append(f"{_key(key)} = {_value(value)}")  # an array of tables with tables inside: inline
        elif _is_table(value) or _is_table_array(value):
            nested.append((key, value))
        else:
            lines.append(f"{_key(key)} = {_value(value)}")
    # sub-tables last: a key written after a [sub.table] header would belong to it
    for key, value in nested:
        _table([*keys, key], value, lines)


def _key(key: Any) -> str:
    text = str(key)
    return text if text.replace("_", "").replace("-", "").isalnum() and text.isascii() else json.dumps(text)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        if math.isnan(value):
            return "nan"
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items() if v is not None) + " }"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if hasattr(value, "model_dump"):
        return _value(value.model_dump(mode="python"))
    raise TypeError(f"cannot write {type(value).__name__} as TOML")
