"""DOA units: new products that die at first use and come back to the center.

The source document's DOA ("dead on arrival") is a new product that fails
the first time it is used; the supervisor watches the monthly DOA rate with
key customers. In the model each product sold (a ``sale`` call) is dead at
first use with the scenario's chance; some days after the sale the
customer brings it back, when the center is next open, and it becomes an
item of kind ``doa_unit`` (parent: the sale) on the spares administrators'
desk: proof of purchase checked, packed, sent to the supplier, followed up;
one not back in 30 days is exchanged or refunded by purchasing
(:mod:`svcsim.processes.vendor`).
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any

from svcsim.des.cases import DOA_UNIT, CaseBook
from svcsim.processes.back_office import BackOffice

__all__ = ["DoaUnits"]


class DoaUnits:
    """Which sold products are dead at first use, and their way back to the center.

    ``chance`` draws uniform numbers compared with ``p_doa``; ``first_use``
    the minutes from the sale to the first use; ``next_open(minute)`` the
    center's next open minute.
    """

    def __init__(self, env: Any, book: CaseBook, office: BackOffice, *, p_doa: float,
                 chance: Callable[[], float], first_use: Callable[[], float],
                 next_open: Callable[[float], float]) -> None:
        self.env, self.book, self.office = env, book, office
        self.p_doa, self.chance, self.first_use, self.next_open = p_doa, chance, first_use, next_open

    def sold(self, case: int) -> None:
        """A product was sold on ``case``: dead at first use, with the scenario's chance."""
        if self.p_doa > 0 and self.chance() < self.p_doa:
            self.env.process(self._brought_back(case, self.first_use()))

    def _brought_back(self, sale: int, delay: float) -> Generator[Any, Any, None]:
        env = self.env
        yield env.timeout(delay)
        opening = self.next_open(env.now)
        if opening == float("inf"):
            return  # the center does not open again in this horizon
        if opening > env.now:
            yield env.timeout(opening - env.now)
        item = self.book.add_item(sale, -1, DOA_UNIT)
        self.book.warranty[item] = 1  # a new product: always in warranty
        self.office.item_received(item, -1)
