"""The replication cache: one file per finished replication, written the moment it finishes.

A replication is keyed by (scenario hash, seed, replication, days, warm-up)
and the metrics version; its tidy metrics go to
``<folder>/<scenario hash>/seed<S>-days<D>-warmup<W>-v<V>-code<C>/rep<R>.parquet``.
Each file is written to a temporary name in the same folder and then moved
into place with :func:`os.replace`, so a reader sees a whole file or none,
even if the writer is killed half-way. Re-running an interrupted study
therefore computes only the replications that have no file yet.

The key also covers the code that makes the numbers: the metric
definitions (:data:`~svcsim.replications.metrics.METRICS_VERSION`) and a
fingerprint of the package's source and data files
(:func:`code_fingerprint`), so after a change to the model an old result is
never read back as if new: it sits in another folder and is recomputed.
"""

from __future__ import annotations

import functools
import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from svcsim.replications.metrics import METRICS_VERSION, tidy_types

__all__ = ["ReplicationCache", "Task", "code_fingerprint", "fingerprint_of"]

#: Folders of the package that cannot change a replication's numbers (the command line only prints them).
_NOT_MODEL_CODE = ("cli",)


@functools.cache
def code_fingerprint() -> str:
    """The first 12 hex digits of a sha256 over the package's source and data files (sorted by path).

    Every ``.py``, ``.toml`` and ``.csv`` file of the package is covered except the
    command line's: a superset of what a replication imports or reads, derived from
    the tree rather than listed, so a fix anywhere below (the calendar, the event
    log, the rule engine...) never lets an old result be read back as new.
    """
    return fingerprint_of(Path(__file__).resolve().parents[1])


def fingerprint_of(package: Path) -> str:
    """:func:`code_fingerprint` of the package folder ``package``."""
    digest = hashlib.sha256()
    files = sorted(p for p in package.rglob("*") if p.suffix in (".py", ".toml", ".csv")
                   and "__pycache__" not in p.parts and p.relative_to(package).parts[0] not in _NOT_MODEL_CODE)
    for path in files:
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


@dataclass(frozen=True)
class Task:
    """One replication to compute: what a worker receives (small and picklable).

    ``scenario`` is the scenario's canonical JSON, ``scenario_id`` its hash;
    ``days`` is always a whole number (the horizon resolved by the caller).
    """

    scenario: str
    scenario_name: str
    scenario_id: str
    seed: int
    replication: int
    days: int
    warmup_days: float

    @property
    def key(self) -> tuple[str, int, int, int, float]:
        """What identifies the replication's result."""
        return (self.scenario_id, self.seed, self.replication, self.days, self.warmup_days)


class ReplicationCache:
    """A folder of finished replications (see the module docstring)."""

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = Path(folder)

    def path(self, task: Task) -> Path:
        """Where the result of ``task`` lives."""
        group = (f"seed{int(task.seed)}-days{int(task.days)}-warmup{float(task.warmup_days)!r}"
                 f"-v{METRICS_VERSION}-code{code_fingerprint()}")
        return self.folder / task.scenario_id / group / f"rep{int(task.replication):05d}.parquet"

    def get(self, task: Task) -> pd.DataFrame | None:
        """The cached table of ``task``, or None when it has not finished before."""
        path = self.path(task)
        if not path.is_file():
            return None
        try:
            return tidy_types(pd.read_parquet(path))
        except Exception:  # noqa: BLE001 - a damaged file is recomputed, not trusted
            return None

    def put(self, task: Task, table: pd.DataFrame) -> Path:
        """Write ``table`` for ``task`` atomically (temporary file, then :func:`os.replace`)."""
        path = self.path(task)
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".tmp", dir=path.parent)
        os.close(handle)
        try:
            table.to_parquet(temporary, index=False)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return path

    def __len__(self) -> int:
        return sum(1 for _ in self.folder.rglob("rep*.parquet")) if self.folder.is_dir() else 0
