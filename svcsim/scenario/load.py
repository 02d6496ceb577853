"""Scenarios from TOML files and built-in names; variants by dotted-path changes.

A mistake in a scenario file is an :class:`~svcsim.errors.InputError` naming
the file, the field (a dotted path such as ``times.repair``) and what was
expected; no traceback reaches the user.

A file may start from another scenario: ``extends = "baseline"`` (a
built-in name, or the path of a TOML file relative to this one) and carry
only what differs. The merge is by section and key: a table merges into
the table it extends, anything else (a number, a text, a list, a
distribution ``{ dist = ... }``) replaces what it extends; a role given as
``groups`` replaces the extended role's ``count`` and ``shift`` and the
other way round. A file without ``extends`` that leaves whole sections out
gets those from the library's defaults (``Scenario()``, a small center, not
``baseline``): it loads with an :class:`~svcsim.errors.InputWarning` naming
them, unless it says so with ``extends = "defaults"``.
"""

from __future__ import annotations

import copy
import json
import tomllib
import warnings
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from svcsim.calendar.closures import read_closures
from svcsim.errors import InputError, InputWarning
from svcsim.scenario.model import Scenario
from svcsim.textfiles import read_user_text

__all__ = ["builtin_names", "builtin_text", "load_scenario", "parse_scenario", "with_changes", "scenario_schema"]

#: The sections of a scenario file that a file without ``extends`` should not leave out.
SECTIONS = ("calendar", "demand", "staffing", "times", "probabilities", "spares")


def builtin_names() -> list[str]:
    """Names of the built-in scenarios (TOML files shipped in ``svcsim/scenarios``)."""
    folder = resources.files("svcsim.scenarios")
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))


def load_scenario(name_or_path: str | Path | Scenario) -> Scenario:
    """A built-in scenario by name (``"baseline"``, ``"tiny"``) or a scenario TOML file."""
    if isinstance(name_or_path, Scenario):
        return name_or_path
    text = str(name_or_path)
    if not text.endswith(".toml") and text in builtin_names():
        file = f"<built-in scenario {text}>"
        return parse_scenario(_toml(builtin_text(text), file), file=file)
    path = _scenario_path(text)
    data, extended = _file_data(path, chain=())
    scenario = parse_scenario(data, file=path, base_dir=path.parent)
    if not extended:
        left_out = [section for section in SECTIONS if section not in data]
        if left_out:
            warnings.warn(InputWarning(
                f"{path}: no 'extends', so [{'], ['.join(left_out)}] come from the library defaults "
                "(a small center of 40 calls a day), not from baseline; write extends = \"baseline\" "
                "to start from baseline"), stacklevel=2)
    return scenario


def builtin_text(name: str) -> str:
    """The TOML text of built-in scenario ``name``, comments and all."""
    return resources.files("svcsim.scenarios").joinpath(f"{name}.toml").read_text("utf-8")


def _scenario_path(text: str, relative_to: Path | None = None) -> Path:
    path = Path(text)
    if relative_to is not None and not path.is_absolute():
        path = relative_to / path
    if not path.is_file():
        raise InputError(
            f"no scenario named {text!r} and no such file",
            expected="a built-in scenario (" + ", ".join(builtin_names()) + ") or the path of a .toml file",
        )
    return path


def _file_data(path: Path, chain: tuple[str, ...]) -> tuple[dict[str, Any], bool]:
    """A scenario file's data with what it ``extends`` merged under it, and whether it extends anything.

    Files in ``chain`` extend this one already (a circle is a mistake). An
    extending file without a ``name`` is named after itself, not after its base.
    """
    data = _toml(read_user_text(path, what="a scenario file (TOML)"), str(path))
    base = data.pop("extends", None)
    if base is None:
        return data, False
    if not isinstance(base, str) or not base:
        raise InputError(f"extends = {base!r}", file=path, field="extends",
                         expected="a built-in scenario name or the path of a TOML file, in quotes")
    if base == "defaults":  # said out loud: start from the library's defaults
        under = {}
    elif not base.endswith(".toml") and base in builtin_names():
        under = _toml(builtin_text(base), f"<built-in scenario {base}>")
    else:
        base_path = _scenario_path(base, relative_to=path.parent)
        key = str(base_path.resolve())
        if key in chain or key == str(path.resolve()):
            raise InputError(f"extends {base!r}, which extends this file again", file=path, field="extends",
                             expected="a chain of files that ends in a built-in scenario or a file without extends")
        under = _file_data(base_path, (*chain, str(path.resolve())))[0]
    data.setdefault("name", path.stem)
    return _merged(under, data), True


def _merged(under: dict[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    """``over`` merged into ``under`` by section and key (see the module's docstring)."""
    merged = copy.deepcopy(under)
    for key, value in over.items():
        below = merged.get(key)
        if isinstance(value, Mapping) and isinstance(below, dict) and "dist" not in value:
            if "groups" in value:  # a role staffed anew by groups: the extended count and shift go
                below = {k: v for k, v in below.items() if k not in ("count", "shift")}
            elif "count" in value or "shift" in value:
                below = {k: v for k, v in below.items() if k != "groups"}
            merged[key] = _merged(below, value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def _toml(text: str, file: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InputError(f"not valid TOML: {error}", file=file, expected="a TOML scenario file") from None


def parse_scenario(data: Mapping[str, Any], *, file: str | Path | None = None,
                   base_dir: str | Path | None = None) -> Scenario:
    """Validate a scenario given as nested mappings (as read from TOML).

    ``calendar.closures`` given as the path of a closures CSV (relative to
    ``base_dir``, by default the working directory) is read here, its
    mistakes reported with that file's name and row, and kept row by row.
    """
    data = _with_closure_rows(data, base_dir)
    try:
        return Scenario.model_validate(dict(data))
    except ValidationError as error:
        raise _input_error(error, file) from None


def _with_closure_rows(data: Mapping[str, Any], base_dir: str | Path | None) -> Mapping[str, Any]:
    calendar = data.get("calendar")
    if not isinstance(calendar, Mapping) or not isinstance(calendar.get("closures"), str | Path):
        return data
    path = Path(calendar["closures"])
    if not path.is_absolute() and base_dir is not None:
        path = Path(base_dir) / path
    if not path.is_file():
        raise InputError("no such closures file", file=path, field="calendar.closures",
                         expected="a CSV with columns date,kind[,hours][,note] (docs/reference/calendar.md)")
    rows = [{"date": c.date, "kind": c.kind, "hours": _hours_text(c.hours), "note": c.note}
            for c in read_closures(path, years=(1, 9999))]
    return {**data, "calendar": {**calendar, "closures": rows}}


def _hours_text(hours: tuple[tuple[int, int], ...] | None) -> str:
    """Intervals in minutes as ``"09:00-12:00;13:00-17:00"`` (empty: none given)."""
    if not hours:
        return ""
    return ";".join(f"{s // 60:02d}:{s % 60:02d}-{e // 60:02d}:{e % 60:02d}" for s, e in hours)


def _input_error(error: ValidationError, file: str | Path | None) -> InputError:
    first = error.errors(include_url=False)[0]
    loc = [str(part) for part in first["loc"] if not str(part).startswith("function-")]
    field = "".join(f"[{part}]" if part.isdigit() else f".{part}" for part in loc).lstrip(".") or None
    kind = first["type"]
    message = first["msg"].removeprefix("Value error, ")
    given = first.get("input")
    if kind == "extra_forbidden":
        return InputError(f"unknown field {loc[-1]!r}", file=file, field=field,
                          expected="one of the fields listed in docs/reference/scenario.md")
    if "; expected " in message:
        problem, expected = message.split("; expected ", 1)
        return InputError(problem, file=file, field=field, expected=expected)
    shown = json.dumps(given, default=str)[:60] if given is not None and not isinstance(given, Mapping) else None
    problem = f"{shown} is not valid" if shown is not None else "not valid"
    expected = _PLAIN.get(kind) or _bound(kind, first.get("ctx") or {}) or message.removeprefix("Input should be ")
    return InputError(problem, file=file, field=field, expected=expected[0].lower() + expected[1:])


#: Plain words for pydantic's error kinds a scenario file meets most.
_PLAIN: dict[str, str] = {
    "int_parsing": "a whole number", "int_from_float": "a whole number", "int_type": "a whole number",
    "float_parsing": "a number", "float_type": "a number", "bool_parsing": "true or false",
    "bool_type": "true or false", "string_type": "text in quotes",
    "date_parsing": "a date such as 2025-03-03", "date_from_datetime_parsing": "a date such as 2025-03-03",
    "date_type": "a date such as 2025-03-03", "list_type": "a list [...]", "dict_type": "a table {...}",
    "model_type": "a table {...}", "missing": "this field (it has no default)",
}


def _bound(kind: str, ctx: Mapping[str, Any]) -> str | None:
    """``a value >= 1`` and the like, for pydantic's bound errors."""
    signs = {"greater_than_equal": ("ge", ">="), "greater_than": ("gt", ">"),
             "less_than_equal": ("le", "<="), "less_than": ("lt", "<")}
    if kind in signs and signs[kind][0] in ctx:
        key, sign = signs[kind]
        return f"a value {sign} {ctx[key]}"
    return None


def with_changes(scenario: Scenario | str | Path, changes: Mapping[str, Any]) -> Scenario:
    """A validated copy of ``scenario`` (a Scenario, a built-in name or a file) with ``{"dotted.path": value}`` changes.

    A whole number given for a role (``{"staffing.field_engineers": 8}``)
    sets that role's ``count``. An element of a list is named by its
    position from 0 or by its key: a part by its SKU
    (``"spares.parts.MB-100.base_stock"``), a closure by its date, a shift
    group by its name (``"staffing.field_engineers.groups.late.count"``). The
    original is left untouched.

    Returns the changed Scenario; a change naming no field is an
    :class:`~svcsim.errors.InputError`.
    """
    if isinstance(scenario, (str, Path)):
        scenario = load_scenario(scenario)
    elif not isinstance(scenario, Scenario):
        raise TypeError(f"with_changes(): scenario must be a Scenario, a built-in name or a path, "
                        f"not {type(scenario).__name__}")
    data = scenario.model_dump(mode="python")
    roles = [*data["staffing"].values(), data["spares"]["administrators"], data["spares"]["purchasing"]]
    for role in roles:  # a role staffed by groups: its count is theirs, not a field to keep
        if isinstance(role, dict) and role.get("groups"):
            del role["count"]
    for path, value in changes.items():
        keys = path.split(".")
        node: Any = data
        for key in keys[:-1]:
            node, _ = _child(node, key, path)
        last = keys[-1]
        if isinstance(node, list):
            _, index = _child(node, last, path)
            node[index] = value.model_dump(mode="python") if isinstance(value, BaseModel) else copy.deepcopy(value)
            continue
        grouped = isinstance(node, dict) and ((last == "count" and node.get("groups")) or (
            isinstance(node.get(last), dict) and node[last].get("groups") and isinstance(value, int)))
        if grouped:
            names = [g["name"] for g in (node if last == "count" else node[last])["groups"]]
            role = path.removesuffix(".count")
            raise InputError(f"{role!r} is staffed by shift groups ({', '.join(names)}): its count is theirs",
                             field=path, expected=f"a group's count, e.g. {role}"
                             f".groups.{names[0]}.count")
        if not isinstance(node, dict) or (last not in node and not isinstance(node.get("dist"), str)):
            raise InputError(f"no such field {path!r}", field=path, expected="a dotted path to a scenario field")
        if isinstance(node.get(last), dict) and "count" in node[last] and isinstance(value, int):
            node[last]["count"] = value
        elif isinstance(value, BaseModel):
            node[last] = value.model_dump(mode="python")
        else:
            node[last] = copy.deepcopy(value)
    return parse_scenario(data, file=f"<changes to scenario {scenario.name}>")


#: The fields that name an element of a list in a dotted path (a part's SKU, a closure's date, a group's name).
_LIST_KEYS = ("sku", "date", "name")


def _child(node: Any, key: str, path: str) -> tuple[Any, Any]:
    """The child of ``node`` called ``key`` in a dotted ``path``, and its key or list index."""
    if isinstance(node, dict) and key in node:
        return node[key], key
    if isinstance(node, list):
        if key.isdigit() and int(key) < len(node):
            return node[int(key)], int(key)
        named = [i for i, item in enumerate(node)
                 if isinstance(item, dict) and any(str(item.get(k)) == key for k in _LIST_KEYS)]
        if len(named) == 1:
            return node[named[0]], named[0]
        choices = [str(item.get(k)) for item in node if isinstance(item, dict) for k in _LIST_KEYS if k in item]
        raise InputError(f"no element {key!r} in {path!r}", field=path,
                         expected=f"a position 0-{len(node) - 1} or one of {choices}" if node else "a list with elements")
    raise InputError(f"no such field {path!r}", field=path, expected="a dotted path to a scenario field")


def scenario_schema() -> dict[str, Any]:
    """The JSON Schema of a scenario file (for editors)."""
    schema = Scenario.model_json_schema()
    schema["title"] = "svcsim scenario"
    return schema
