"""Places and the drives between them: the center and the sites of each zone.

A place is an index: ``0 .. Z-1`` a site in that zone (one place per zone:
the model knows a site's zone, not its street), ``Z`` the center, where
engineers start the day, collect spares and hand in bad parts. A drive
from one place to another takes a draw of the scenario's drive time for
that pair (:meth:`svcsim.scenario.model.Times.drive`) times the traffic
factor of the hour it starts in. Each pair has its own sub-stream of the
``travel`` stream, made in a fixed order (the outward drives first, zone by
zone, as the one-draw-per-visit model made them, then the rest).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from svcsim.scenario.model import Scenario
from svcsim.streams import Streams

__all__ = ["Travel", "build_travel"]


def _zero() -> float:
    return 0.0


class Travel:
    """Drive times between places, sampled and on average, scaled by the traffic of the hour."""

    def __init__(self, samplers: Sequence[Sequence[Callable[[], float]]], means: Sequence[Sequence[float]],
                 traffic: Sequence[float]) -> None:
        self.center = len(samplers) - 1
        self._samplers = [list(row) for row in samplers]
        self._means = [list(row) for row in means]
        self._traffic = [float(f) for f in traffic]
        self._flat = all(f == 1.0 for f in self._traffic)

    def factor(self, minute: float) -> float:
        """The traffic factor of the hour of the day ``minute`` falls in (minutes since local midnight of the start)."""
        return 1.0 if self._flat else self._traffic[int(minute // 60.0) % 24]

    def drive(self, origin: int, destination: int, minute: float) -> float:
        """Minutes of one drive from ``origin`` to ``destination`` starting at ``minute`` (0 when they are the same place and not a site)."""
        if origin == destination == self.center:
            return 0.0
        minutes = self._samplers[origin][destination]()
        return minutes if self._flat else minutes * self.factor(minute)

    def longest_mean(self) -> float:
        """The longest mean drive between any two places, in the heaviest traffic of the day."""
        return max(max(row) for row in self._means) * max(self._traffic)

    def mean(self, origin: int, destination: int, minute: float) -> float:
        """The mean minutes of that drive (what a dispatcher expects it to take)."""
        if origin == destination == self.center:
            return 0.0
        return self._means[origin][destination] * self.factor(minute)


def build_travel(scenario: Scenario, streams: Streams) -> Travel:
    """The drive samplers of ``scenario``, on sub-streams of ``travel`` in a fixed order."""
    times = scenario.times
    zones = list(scenario.demand.zones)
    names = [*zones, "center"]
    n = len(names)
    samplers: list[list[Callable[[], float]]] = [[_zero] * n for _ in range(n)]
    means = [[0.0] * n for _ in range(n)]
    center = n - 1
    pairs = [(center, d) for d in range(center)]  # the outward drives first: the streams of the older model
    pairs += [(o, d) for o in range(n) for d in range(n) if (o, d) not in pairs and not o == d == center]
    shared: dict[int, Callable[[], float]] = {}
    for o, d in pairs:
        dist = times.drive(names[o], names[d])
        if dist is None:  # a zone without demand: never driven to
            continue
        frozen = dist.frozen()
        means[o][d] = float(frozen.mean())
        if not times.travel_between and d != center:
            # one distribution per destination zone: one stream per destination, as before
            if d not in shared:
                shared[d] = streams.sampler("travel", frozen)
            samplers[o][d] = shared[d]
        else:
            samplers[o][d] = streams.sampler("travel", frozen)
    return Travel(samplers, means, times.traffic)
