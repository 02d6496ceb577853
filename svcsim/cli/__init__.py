"""The ``svcsim`` command line: :func:`main`, the console entry point ``svcsim.cli:main``.

The commands live one family to a module: :mod:`svcsim.cli.check` (judge an
event log), :mod:`svcsim.cli.run` (simulate one run; list and show
scenarios), :mod:`svcsim.cli.replications` (``run --replications``,
``compare``, ``sweep``). :mod:`svcsim.cli.parser` builds the parser,
:mod:`svcsim.cli.arguments` checks the arguments before any work,
:mod:`svcsim.cli.tables` formats every text table and
:mod:`svcsim.cli.output` writes ``--out``. A user's mistake is one line on
stderr and exit status 2; no traceback. Anything else is a bug in svcsim: one
line says what went wrong and where the full traceback was saved, and asks
for a report, with exit status 3 (``svcsim --debug`` prints the traceback
instead). Exit status 1 is a reader that closed our output early (``| head``).
Nothing heavy is imported until a command runs, so ``--help`` answers at once.
"""

from __future__ import annotations

import os
import sys
import tempfile
import traceback
import warnings
from collections.abc import Sequence

from svcsim import __version__
from svcsim.cli.check import SAMPLE_LOG
from svcsim.cli.parser import build_parser
from svcsim.errors import InputError, InputWarning

__all__ = ["SAMPLE_LOG", "main"]


def _one_line_warning(message: Warning | str, category: type[Warning], filename: str, lineno: int,
                      file: object = None, line: str | None = None) -> None:
    """A warning about the user's input as one line on stderr; any other as Python prints it."""
    if issubclass(category, InputWarning):
        print(f"svcsim: warning: {message}", file=sys.stderr)
    else:
        sys.stderr.write(warnings.formatwarning(message, category, filename, lineno, line))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser(__version__)
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 0
    args.argv = list(sys.argv[1:] if argv is None else argv)  # the command line a report says produced it
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("always", InputWarning)
            warnings.showwarning = _one_line_warning
            return args.handler(args)
    except InputError as exc:
        print(f"svcsim: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("svcsim: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader has gone; say nothing more to it
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except Exception as exc:  # noqa: BLE001 (the last line of defence: a bug, reported as one)
        return _internal_error(exc, show=args.debug, argv=sys.argv[1:] if argv is None else list(argv))


def _internal_error(exc: Exception, *, show: bool, argv: list[str]) -> int:
    """Exit status 3 for a bug: one line, the traceback saved to a file (or shown, with --debug)."""
    text = "".join(traceback.format_exception(exc))
    said = str(exc).strip()
    summary = f"svcsim: internal error: {type(exc).__name__}{': ' + said if said else ''}".splitlines()[0]
    if show:
        print(text, end="", file=sys.stderr)
        print(summary, file=sys.stderr)
        return 3
    try:
        handle, path = tempfile.mkstemp(prefix="svcsim-traceback-", suffix=".txt")
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(f"svcsim {__version__}, Python {sys.version.split()[0]}, arguments {argv!r}\n\n{text}")
    except OSError:
        print(text, end="", file=sys.stderr)
        saved = "it could not be saved, so it is printed above"
    else:
        saved = f"the full traceback is in {path}"
    print(summary, file=sys.stderr)
    print(f"svcsim: this is a bug in svcsim, not a mistake in your input; {saved}. Please report it to the "
          "svcsim maintainers with that traceback (svcsim --debug shows it here).", file=sys.stderr)
    return 3
