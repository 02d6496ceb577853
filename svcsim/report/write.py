"""Where a report goes: the path checked, the page written whole or not at all.

A directory, a missing folder or one this user may not write into is an
:class:`~svcsim.errors.InputError` naming ``--report`` (one line, exit
status 2 on the command line). The page is written to a temporary file
beside the target and moved into place, so a failure never leaves half a page.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from svcsim.errors import InputError

__all__ = ["write_page"]


def write_page(path: str | os.PathLike[str], text: str, option: str = "--report") -> Path:
    """Write ``text`` to ``path`` atomically; the path written."""
    target = Path(path)
    if target.is_dir():
        raise InputError(f"{option} {path}: is a directory", field=option, expected="a file name such as report.html")
    folder = target.parent
    if not folder.is_dir():
        raise InputError(f"{option} {path}: no folder {folder}", field=option, expected="a file in an existing folder")
    try:
        handle, temporary = tempfile.mkstemp(prefix=".svcsim-report-", suffix=".html", dir=folder)
    except OSError as exc:
        raise InputError(f"{option} {path}: cannot write in {folder} ({exc.strerror})", field=option,
                         expected="a folder this user may write into") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # as an ordinary new file, not mkstemp's private one
        os.replace(temporary, target)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise InputError(f"{option} {path}: cannot write it ({exc.strerror})", field=option,
                         expected="a file this user may write") from None
    return target
