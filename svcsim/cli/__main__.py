"""``python -m svcsim.cli``: the command line, as the ``svcsim`` script runs it."""

from svcsim.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
