"""The installed base: which product models and production batches are out there, and their quality events.

Every device a customer calls about belongs to one production ``batch`` of
one product ``model``. A batch's share of the installed base is its share of
the calls at the base fault rate: the scenario's arrival profile is the calls
of the whole installed base, and each call's device is drawn from a batch by
share. A :class:`QualityEvent` multiplies one batch's fault rate from a date
on; the extra faults come as **extra calls** for that batch on top of the
arrival profile (a batch made three times as faulty brings more calls, it
does not take calls away from the other batches). Reference:
``docs/reference/scenario.md`` (section ``[installed_base]``).

Without an ``[installed_base]`` section there are no batches: the cases carry
no ``model`` or ``batch`` and every run is the same as before.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Annotated, Any

from pydantic import AfterValidator, Field, ValidationInfo, field_validator, model_validator

from svcsim.scenario.frozen import Frozen

__all__ = ["Batch", "QualityEvent", "InstalledBase", "InstalledBaseField", "SHARE_TOLERANCE"]

#: How far the batches' shares may sum from 1.
SHARE_TOLERANCE = 1e-6


class Batch(Frozen):
    """One production batch of one product model: its size in the installed base.

    Give either ``units`` (devices installed; shares are units over the
    total) or ``share`` (of the installed base; all shares sum to 1), the
    same way for every batch.
    """

    model: str = Field(min_length=1)
    batch: str = Field(min_length=1)
    units: float | None = Field(None, gt=0)
    share: float | None = Field(None, gt=0, le=1)

    @model_validator(mode="after")
    def _one_size(self) -> Batch:
        if (self.units is None) == (self.share is None):
            raise ValueError(f"batch {self.batch!r} gives {'both' if self.units is not None else 'neither'} "
                             "units and share; expected exactly one of units or share")
        return self


class QualityEvent(Frozen):
    """From ``from_date`` on, batch ``batch`` fails ``fault_rate_multiplier`` times as often.

    The multiplier is at least 1: the extra calls come on top of the arrival
    profile (a batch better than the rest would need calls taken away, which
    is not modelled). Two events on one batch multiply.
    """

    batch: str = Field(min_length=1)
    from_date: dt.date
    fault_rate_multiplier: float = Field(ge=1.0)

    @field_validator("fault_rate_multiplier")
    @classmethod
    def _finite(cls, value: float) -> float:
        if not math.isfinite(value):
            raise ValueError(f"multiplier {value!r}; expected a finite number >= 1")
        return value


class InstalledBase(Frozen):
    """The product models and batches in the field, and the quality events of the horizon."""

    batches: list[Batch] = Field(min_length=1)
    quality_events: list[QualityEvent] = Field(default_factory=list)

    @field_validator("batches")
    @classmethod
    def _sizes(cls, value: list[Batch]) -> list[Batch]:
        names = [b.batch for b in value]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise ValueError(f"batch {twice[0]!r} appears twice; expected one entry per batch")
        by_share = [b.share is not None for b in value]
        if any(by_share) and not all(by_share):
            raise ValueError("some batches give units, others a share; expected the same for every batch")
        if all(by_share):
            total = sum(b.share for b in value)  # type: ignore[misc]
            if abs(total - 1.0) > SHARE_TOLERANCE:
                raise ValueError(f"the shares sum to {total:.6g}; expected shares summing to 1 "
                                 "(or give units instead)")
        return value

    @model_validator(mode="after")
    def _known_batches(self) -> InstalledBase:
        known = [b.batch for b in self.batches]
        for i, event in enumerate(self.quality_events):
            if event.batch not in known:
                raise ValueError(f"quality_events[{i}].batch {event.batch!r} is not a batch of the installed base; "
                                 f"expected one of {', '.join(known)}")
        return self

    def shares(self) -> list[float]:
        """Each batch's share of the installed base, in ``batches`` order (sums to 1)."""
        sizes = [b.units if b.units is not None else b.share for b in self.batches]
        total = float(sum(sizes))  # type: ignore[arg-type]
        return [float(s) / total for s in sizes]  # type: ignore[arg-type]

    def by_batch(self) -> dict[str, float]:
        """Each batch's share by name: what :func:`svcsim.metrics.batches.batch_flags` takes as ``installed_base``."""
        return {b.batch: share for b, share in zip(self.batches, self.shares(), strict=True)}

    def multipliers(self, days: int, start: dt.date) -> list[list[float]]:
        """``[batch][day]``: each batch's fault-rate multiplier on each day of ``days`` from ``start``."""
        out = [[1.0] * days for _ in self.batches]
        index = {b.batch: i for i, b in enumerate(self.batches)}
        for event in self.quality_events:
            first = max(0, (event.from_date - start).days)
            row = out[index[event.batch]]
            for day in range(first, days):
                row[day] *= event.fault_rate_multiplier
        return out


def _within_horizon(value: InstalledBase | None, info: ValidationInfo) -> InstalledBase | None:
    """Quality events must start within the scenario's horizon (``start`` .. ``start + horizon_days``)."""
    if value is None:
        return value
    start: Any = info.data.get("start")
    horizon: Any = info.data.get("horizon_days")
    if start is None or horizon is None:
        return value  # an error elsewhere is reported first
    end = start + dt.timedelta(days=int(horizon))
    for i, event in enumerate(value.quality_events):
        if not start <= event.from_date < end:
            raise ValueError(f"quality_events[{i}].from_date {event.from_date} is outside the horizon; "
                             f"expected a date from {start} to {end - dt.timedelta(days=1)} "
                             f"(start and horizon_days)")
    return value


#: The scenario's field: an installed base checked against the scenario's horizon (``None``: no batches).
InstalledBaseField = Annotated[InstalledBase | None, AfterValidator(_within_horizon)]
