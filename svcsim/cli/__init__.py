"""The ``svcsim`` command line: :func:`main`, the console entry point ``svcsim.cli:main``.

The commands live one family to a module: :mod:`svcsim.cli.check` (judge an
event log), :mod:`svcsim.cli.run` (simulate one run; list and show
scenarios), :mod:`svcsim.cli.replications` (``run --replications``,
``compare``, ``sweep``). :mod:`svcsim.cli.parser` builds the parser,
:mod:`svcsim.cli.arguments` checks the arguments before any work,
:mod:`svcsim.cli.tables` formats every text table and
:mod:`svcsim.cli.output` writes ``--out``. A user's mistake is one line on
stderr and exit status 2; no traceback. Nothing heavy is imported until a
command runs, so ``--help`` answers at once.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from svcsim import __version__
from svcsim.cli.check import SAMPLE_LOG
from svcsim.cli.parser import build_parser
from svcsim.errors import InputError

__all__ = ["SAMPLE_LOG", "main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser(__version__)
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 0
    try:
        return args.handler(args)
    except InputError as exc:
        print(f"svcsim: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("svcsim: interrupted", file=sys.stderr)
        return 130
