"""Reading a text file the user wrote (a scenario, a rules file, a mapping) with a stated encoding.

Every such file is read as UTF-8 by default, with or without a byte-order
mark; a file that names another encoding (a mapping's ``source.encoding``
applies to the export, not to the mapping itself) is read with that one.
A byte that does not decode is a user's mistake, reported with its line and
column, never a ``UnicodeDecodeError``.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from svcsim.errors import InputError

__all__ = ["decode_user_bytes", "read_user_text"]


def read_user_text(path: Path, *, what: str, encoding: str = "utf-8") -> str:
    """The text of ``path`` (a ``what``, e.g. "a scenario file (TOML)"); one :class:`InputError` for any problem."""
    if path.is_dir():
        raise InputError("is a folder", file=path, expected=what)
    if not path.is_file():
        raise InputError("no such file", file=path, expected=what)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror or exc})", file=path, expected=f"a readable {what}") from None
    return decode_user_bytes(data, file=path, what=what, encoding=encoding)


def decode_user_bytes(data: bytes, *, file: str | Path, what: str, encoding: str = "utf-8") -> str:
    """``data`` decoded; an undecodable byte is an :class:`InputError` naming its line and column."""
    codec = codecs.lookup(encoding).name
    if codec == "utf-8":
        codec = "utf-8-sig"  # a byte-order mark is not part of the text
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError(
            f"line {line}, column {column}: byte 0x{data[exc.start]:02x} is not valid {encoding}",
            file=file, expected=f"{what} saved as {encoding} (re-save it as UTF-8)") from None
