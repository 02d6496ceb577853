"""The rule engine's speed machinery: columns, sorts and compiled kernels, no SLA meaning.

What a rule means lives one level up (:mod:`svcsim.rules.spec`, ``clocks``,
``conditions``, ``duration``, ``ladder``, ``recurrence``, ``forbidden``); this subpackage
only makes judging a million tickets fast:

- :mod:`~svcsim.rules.columnar.prepared`: an event log as sorted integer arrays (:class:`PreparedLog`);
- :mod:`~svcsim.rules.columnar.event_sort`: the events' one big sort, by case, time and narration order;
- :mod:`~svcsim.rules.columnar.sorting`: stable multi-key sorts of integer columns;
- :mod:`~svcsim.rules.columnar.packing`: the one helper that packs integer columns into an int64 key per row;
- :mod:`~svcsim.rules.columnar.sort_kernels`: the compiled passes around the one sort of the events;
- :mod:`~svcsim.rules.columnar.kernels`: the compiled per-case loops and counts;
- :mod:`~svcsim.rules.columnar.table`: every rule's rows written once into the result DataFrame.

Nothing here imports the rule kinds; the kinds import this.
"""
