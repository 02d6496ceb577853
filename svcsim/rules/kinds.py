"""The rule kinds, registered once: what each is in a rules file, how it is judged, and how it is checked.

A kind is a :class:`RuleKind`: the pydantic class of its table in the rules
file (whose ``kind`` tag names it), its vectorised evaluator, and its
restatement one case at a time for the test oracle. The spec class also
answers what the loader and the summary ask of any rule (its result ids and
titles, its conditions, the activities it looks for one after the other, whether it needs a calendar: see
:class:`~svcsim.rules.spec.RuleSpec`). The loader builds the file format's
union of rules from :data:`KINDS`, the engine and the oracle dispatch on it,
and the result table's ``kind`` column has its names as categories, in this
order. Adding a kind is adding its module and one line here (see "Adding a
rule kind" in ``docs/reference/rules.md``).
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, get_args

from pydantic import Field

from svcsim.calendar import ServiceCalendar
from svcsim.rules.casewise import CaseEvents
from svcsim.rules.columnar.prepared import PreparedLog
from svcsim.rules.duration import duration_oracle, evaluate_duration
from svcsim.rules.forbidden import evaluate_forbidden, forbidden_oracle
from svcsim.rules.ladder import evaluate_ladder, ladder_oracle
from svcsim.rules.recurrence import evaluate_recurrence, recurrence_oracle
from svcsim.rules.results import ResultRows
from svcsim.rules.ruleset import RuleSet
from svcsim.rules.spec import DurationRule, ForbiddenRule, LadderRule, RecurrenceRule, RuleSpec

__all__ = ["KINDS", "KIND_NAMES", "AnyRule", "RuleKind", "kind_of"]


@dataclass(frozen=True)
class RuleKind:
    """One kind of rule: its spec class, its evaluator and its oracle."""

    #: the pydantic class of the rule's table; its ``kind: Literal["..."]`` field is the kind's name
    spec: type[RuleSpec]
    #: the vectorised evaluator: the rule's result rows over a prepared log, in one or more parts
    evaluate: Callable[[RuleSpec, PreparedLog, RuleSet], list[ResultRows]]
    #: the same rule restated one case at a time (tests and benchmarks only): per case, in order, its rows as dicts
    oracle: Callable[[RuleSpec, list[CaseEvents], ServiceCalendar | None, int], list[list[dict]]]

    @property
    def name(self) -> str:
        """The ``kind`` tag in a rules file, and the value of the result's ``kind`` column."""
        return get_args(self.spec.model_fields["kind"].annotation)[0]


KINDS: tuple[RuleKind, ...] = (
    RuleKind(DurationRule, evaluate_duration, duration_oracle),
    RuleKind(LadderRule, evaluate_ladder, ladder_oracle),
    RuleKind(RecurrenceRule, evaluate_recurrence, recurrence_oracle),
    RuleKind(ForbiddenRule, evaluate_forbidden, forbidden_oracle),
)
KIND_NAMES: tuple[str, ...] = tuple(kind.name for kind in KINDS)
_BY_SPEC = {kind.spec: kind for kind in KINDS}

#: a rule of any registered kind, told apart by its ``kind`` tag (the rules file's ``[[rules]]`` entries)
AnyRule = Annotated[functools.reduce(operator.or_, (kind.spec for kind in KINDS)), Field(discriminator="kind")]


def kind_of(rule: RuleSpec) -> RuleKind:
    """The registered kind of ``rule``."""
    return _BY_SPEC[type(rule)]
