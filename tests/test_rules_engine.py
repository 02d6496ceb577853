"""The engine as a whole: the default rules, invalid cases, summary, escalations, as_of."""

from __future__ import annotations

import pandas as pd
import pytest
from logs import local, make_log

from svcsim import InputError
from svcsim.rules import STATUSES, check, load_rules

SEED_TARGET_IDS = [
    "dispatch-4h", "complete-6h", "arrive-20min", "ship-4h", "vendor-3d", "vendor-7d", "vendor-15d",
    "vendor-30d", "badpart-6h", "software-72h", "hardware-7d", "callback",
]
#: rules of the seed's role descriptions that its table of targets does not list, with ids of ours
ROLE_RULE_IDS = ["paid-no-cancel"]


def test_default_rules_encode_every_seed_target():
    """Every per-case target of the seed table has a rule with its id ('monthly' is KPIs, not a rule),
    followed by the rules the seed states in its role descriptions only."""
    assert load_rules().ids() == SEED_TARGET_IDS + ROLE_RULE_IDS


def field_job():
    return make_log(
        [
            ("T1", "ticket_logged", "2026-03-02 09:00"),
            ("T1", "dispatched", "2026-03-02 10:00"),
            ("T1", "arrived_on_site", "2026-03-02 10:45"),
            ("T1", "part_issued", "2026-03-02 11:00"),
            ("T1", "completed", "2026-03-02 14:00"),
            ("T1", "bad_part_returned", "2026-03-02 17:00"),
            ("T1", "callback_made", "2026-03-03 09:00"),
        ],
        {"T1": {"case_type": "ticket", "zone": "suburb", "fault": "hardware", "device_id": "D1"}},
    )


def test_a_field_job_under_the_default_rules():
    """A suburb job: dispatched in 1 h, on site in 45 min (within 20 + 40), done in 3 service hours."""
    result = check(field_job(), as_of=local("2026-03-31 00:00"))
    got = dict(zip(result.results["rule_id"].astype(str), result.results["status"].astype(str), strict=True))
    assert got == {
        "dispatch-4h": "met", "complete-6h": "met", "arrive-20min": "met", "badpart-6h": "met", "callback": "met",
    }  # hardware-7d does not apply: a part was replaced


def test_a_case_marked_invalid_is_invalid_for_every_rule_it_touches():
    """A loader quarantined a row of T1: its rules report invalid with the code, never a silent met."""
    log = field_job()
    cases = log.cases.copy()
    cases.loc[cases["case_id"] == "T1", "invalid_reason"] = "TS_UNPARSEABLE"
    log = type(log).from_frames(log.events, cases)
    result = check(log, as_of=local("2026-03-31 00:00"))
    r = result.results
    assert set(r["status"].astype(str)) == {"invalid"}
    assert set(r["reason"].astype(str)) == {"TS_UNPARSEABLE"}
    assert {"dispatch-4h", "complete-6h", "hardware-7d"} <= set(r["rule_id"].astype(str))
    assert result.summary.set_index("rule_id").loc["dispatch-4h", "invalid"] == 1


def test_summary_counts_and_attainment():
    """Attainment is good over decided: open breaches count, running clocks do not."""
    log = make_log(
        [
            ("T1", "ticket_logged", "2026-03-02 09:00"), ("T1", "dispatched", "2026-03-02 10:00"),
            ("T2", "ticket_logged", "2026-03-02 09:00"), ("T2", "dispatched", "2026-03-03 16:00"),
            ("T3", "ticket_logged", "2026-03-02 09:00"),
            ("T4", "ticket_logged", "2026-03-04 09:00"),
        ],
        {k: {"case_type": "ticket"} for k in ("T1", "T2", "T3", "T4")},
    )
    summary = check(log, as_of=local("2026-03-04 09:30")).summary.set_index("rule_id")
    d = summary.loc["dispatch-4h"]
    assert (d["met"], d["breached"], d["breached_open"], d["running"], d["decided"]) == (1, 1, 1, 1, 3)
    assert d["attainment_pct"] == pytest.approx(33.33)
    assert list(summary.columns[-len(STATUSES) - 2:-2]) == list(STATUSES)


def test_escalations_worst_first():
    """Open breaches only, ordered by level, then by how long overdue."""
    log = make_log(
        [
            ("T1", "ticket_logged", "2026-03-02 09:00"),
            ("T2", "ticket_logged", "2026-03-03 09:00"),
            ("I1", "sent_to_vendor", "2026-02-02 09:00"),
        ],
        {"T1": {"case_type": "ticket"}, "T2": {"case_type": "ticket"}, "I1": {"case_type": "item"}},
    )
    esc = check(log, as_of=local("2026-03-05 09:00")).escalations
    assert list(esc["case_id"].astype(str)) == ["I1", "T1", "T2"]
    assert list(esc["rule_id"].astype(str)) == ["vendor-30d", "dispatch-4h", "dispatch-4h"]


def test_later_events_change_nothing_before_as_of():
    """Appending events after as_of leaves every result row as it was."""
    log = field_job()
    as_of = local("2026-03-02 12:00")
    more = pd.concat([log.events, pd.DataFrame({"case_id": ["T1"], "activity": ["closed"], "timestamp": [local("2026-03-09 09:00")]})])
    a = check(log, as_of=as_of).results
    b = check(type(log).from_frames(more, log.cases), as_of=as_of).results
    pd.testing.assert_frame_equal(a, b, check_categorical=False)


def test_as_of_must_carry_a_time_zone():
    """No zone is assumed: a naive as_of is a user error naming the field."""
    with pytest.raises(InputError, match="as_of.*no time zone"):
        check(field_job(), as_of="2026-03-02 12:00")


def test_a_timestamp_the_calendar_does_not_cover_is_an_error():
    """2027's Chinese holidays are not announced yet: no silent guess."""
    log = make_log([("T1", "ticket_logged", "2027-03-01 09:00")], {"T1": {"case_type": "ticket"}})
    with pytest.raises(InputError, match="2027"):
        check(log)


def test_threads_give_the_same_result_and_the_same_first_error():
    """Rules evaluated three at a time: the same table; a failing rule raises as it would alone, in rule order."""
    from rulesets import rules

    log = field_job()
    as_of = local("2026-03-31 00:00")
    one = check(log, as_of=as_of, threads=1)
    many = check(log, as_of=as_of, threads=3)
    pd.testing.assert_frame_equal(many.results, one.results)
    pd.testing.assert_frame_equal(many.summary, one.summary)
    broken = rules("""
[[rules]]
id = "fine"
kind = "duration"
start = "ticket_logged"
stop = "dispatched"
target = "4h"
[[rules]]
id = "first-broken"
kind = "duration"
applies_to = { field = "no_such_field", equals = "x" }
start = "ticket_logged"
stop = "completed"
target = "6h"
[[rules]]
id = "second-broken"
kind = "duration"
applies_to = { field = "nor_this_one", equals = "x" }
start = "dispatched"
stop = "completed"
target = "6h"
""")
    messages = []
    for threads in (1, 3):
        with pytest.raises(InputError) as caught:
            check(log, broken, as_of=as_of, threads=threads)
        messages.append(str(caught.value))
    assert "no_such_field" in messages[0] and messages[0] == messages[1]


def test_importing_svcsim_does_not_load_the_compiled_kernels():
    """numba costs about half a second to import: only a check (or a calendar computation) loads it."""
    import subprocess
    import sys

    code = "import sys, svcsim, svcsim.rules, svcsim.calendar; print('numba' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
