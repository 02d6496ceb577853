"""Golden cases for forbidden rules: no cancellation of a signed paid repair once the repair or a part order started.

The rule is the built-in ``paid-no-cancel`` (a ticket out of warranty; triggers
``repair_started`` and ``part_requested``; forbidden ``cancelled``), judged on
hand-made logs, each case a little story.
"""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest
from compare import engine_vs_oracle
from logs import local, make_log
from rulesets import rules

from svcsim import InputError
from svcsim.eventlog import EventLog
from svcsim.rules import check, load_rules, parse_rules
from svcsim.rules.oracle import check_oracle

PAID = {"case_type": "ticket", "warranty": "out"}
IN_WARRANTY = {"case_type": "ticket", "warranty": "in"}
AS_OF = local("2026-03-03 00:00")


def paid_no_cancel(log, as_of=AS_OF) -> pd.DataFrame:
    """The built-in rule's rows, indexed by case id."""
    r = check(log, as_of=as_of).results
    r = r[r["rule_id"] == "paid-no-cancel"]
    return r.set_index(r["case_id"].astype(str))


def test_cancelled_before_any_trigger_is_not_a_breach():
    """A paid ticket cancelled before work began: allowed, so not_applicable, with the cancellation as evidence."""
    log = make_log([("T1", "ticket_logged", "2026-03-02 09:00"), ("T1", "warranty_checked", "2026-03-02 09:30"),
                    ("T1", "cancelled", "2026-03-02 10:00")], {"T1": PAID})
    row = paid_no_cancel(log).loc["T1"]
    assert row["status"] == "not_applicable" and row["level"] == 0
    assert pd.isna(row["start"]) and row["stop"] == local("2026-03-02 10:00")
    assert row["reason"] == "cancelled with no repair_started / part_requested before it"


def test_cancelled_after_a_part_was_requested_is_breached():
    """A part asked for at 11:00, the repair cancelled at 12:00: breached, with the trigger and the cancellation."""
    log = make_log([("T1", "ticket_logged", "2026-03-02 09:00"), ("T1", "part_requested", "2026-03-02 11:00"),
                    ("T1", "cancelled", "2026-03-02 12:00")], {"T1": PAID})
    row = paid_no_cancel(log).loc["T1"]
    assert (row["status"], row["level"], row["kind"]) == ("breached", 1, "forbidden")
    assert row["start"] == local("2026-03-02 11:00") and row["stop"] == local("2026-03-02 12:00")
    assert row["elapsed"] == pd.Timedelta(hours=1)
    assert row["target_reason"] == "after part_requested" and row["reason"] == "cancelled after part_requested"
    assert pd.isna(row["target"]) and row["due"] == row["start"]  # no deadline: the verdict is due from the trigger


def test_a_refused_cancellation_then_no_cancellation_is_met():
    """The customer asked to cancel after the repair started and was refused: nothing forbidden happened."""
    log = make_log([("T1", "repair_started", "2026-03-02 11:00"), ("T1", "cancel_refused", "2026-03-02 12:00"),
                    ("T1", "completed", "2026-03-02 15:00")], {"T1": PAID})
    row = paid_no_cancel(log).loc["T1"]
    assert row["status"] == "met" and row["level"] == 0 and pd.isna(row["stop"]) and pd.isna(row["reason"])
    assert row["target_reason"] == "after repair_started"
    assert row["elapsed"] == AS_OF - local("2026-03-02 11:00")  # the prohibition held this long, up to as_of


def test_an_in_warranty_case_is_out_of_scope():
    """Warranty repairs are not paid: the rule gives no row even when one is cancelled after the repair started."""
    log = make_log([("T1", "repair_started", "2026-03-02 11:00"), ("T1", "cancelled", "2026-03-02 12:00")],
                   {"T1": IN_WARRANTY})
    assert "T1" not in paid_no_cancel(log).index


def test_a_boolean_warranty_is_read_too():
    """A live export's warranty true / false: false is a paid repair, true and an empty value are out of scope."""
    stories = [("T1", "part_requested", "2026-03-02 11:00"), ("T1", "cancelled", "2026-03-02 12:00"),
               ("T2", "part_requested", "2026-03-02 11:00"), ("T2", "cancelled", "2026-03-02 12:00"),
               ("T3", "part_requested", "2026-03-02 11:00"), ("T3", "cancelled", "2026-03-02 12:00")]
    log = make_log(stories, {"T1": {"case_type": "ticket", "warranty": False}, "T2": {"case_type": "ticket", "warranty": True},
                             "T3": {"case_type": "ticket"}})
    rows = paid_no_cancel(log)
    assert list(rows.index) == ["T1"] and rows.loc["T1", "status"] == "breached"


def test_a_paid_case_with_neither_trigger_nor_cancellation_gets_no_row():
    log = make_log([("T1", "ticket_logged", "2026-03-02 09:00"), ("T1", "dispatched", "2026-03-02 10:00")], {"T1": PAID})
    assert "T1" not in paid_no_cancel(log).index


def test_the_first_trigger_arms_the_rule_and_the_first_cancellation_after_it_is_the_evidence():
    """Cancelled at 10:00 (allowed), repair at 11:00, part at 12:00, cancelled again at 13:00: breached at 13:00."""
    log = make_log([("T1", "cancelled", "2026-03-02 10:00"), ("T1", "repair_started", "2026-03-02 11:00"),
                    ("T1", "part_requested", "2026-03-02 12:00"), ("T1", "cancelled", "2026-03-02 13:00")], {"T1": PAID})
    row = paid_no_cancel(log).loc["T1"]
    assert row["status"] == "breached"
    assert (row["start"], row["stop"]) == (local("2026-03-02 11:00"), local("2026-03-02 13:00"))
    assert row["reason"] == "cancelled after repair_started"


@pytest.mark.parametrize(("order", "status"), [(["part_requested", "cancelled"], "breached"),
                                               (["cancelled", "part_requested"], "met")])
def test_at_one_timestamp_the_order_of_narration_decides(order, status):
    """Same minute: the event narrated later follows the other (seq), as for every clock."""
    t = pd.Timestamp("2026-03-02 11:00", tz="Asia/Shanghai")
    events = pd.DataFrame({"case_id": ["T1", "T1"], "activity": order, "timestamp": [t, t], "seq": [1, 2]})
    log = EventLog.from_frames(events, pd.DataFrame([{"case_id": "T1", **PAID}]))
    assert paid_no_cancel(log).loc["T1", "status"] == status


def test_a_cancellation_after_as_of_does_not_exist_yet():
    """Judged before the cancellation came in, the case is met; judged after, breached."""
    log = make_log([("T1", "repair_started", "2026-03-02 11:00"), ("T1", "cancelled", "2026-03-02 16:00")], {"T1": PAID})
    assert paid_no_cancel(log, as_of=local("2026-03-02 15:00")).loc["T1", "status"] == "met"
    assert paid_no_cancel(log, as_of=local("2026-03-02 17:00")).loc["T1", "status"] == "breached"


def test_a_case_marked_invalid_is_invalid_not_judged():
    """A loader quarantined a row of T1: the rule reports it invalid with the code, not met."""
    log = make_log([("T1", "repair_started", "2026-03-02 11:00")], {"T1": {**PAID, "invalid_reason": "TS_UNPARSEABLE"}})
    row = paid_no_cancel(log).loc["T1"]
    assert (row["status"], row["reason"]) == ("invalid", "TS_UNPARSEABLE")


def test_the_summary_counts_a_breach_as_decided():
    """One met, one breached, one not applicable: attainment 50 %."""
    log = make_log([
        ("T1", "repair_started", "2026-03-02 11:00"),
        ("T2", "part_requested", "2026-03-02 11:00"), ("T2", "cancelled", "2026-03-02 12:00"),
        ("T3", "cancelled", "2026-03-02 12:00"),
    ], {k: PAID for k in ("T1", "T2", "T3")})
    s = check(log, as_of=AS_OF).summary.set_index("rule_id").loc["paid-no-cancel"]
    assert (s["met"], s["breached"], s["not_applicable"], s["decided"], s["attainment_pct"]) == (1, 1, 1, 2, 50.0)


def test_the_engine_and_the_oracle_agree_on_these_stories():
    log = make_log([
        ("T1", "cancelled", "2026-03-02 10:00"), ("T1", "repair_started", "2026-03-02 11:00"),
        ("T2", "part_requested", "2026-03-02 11:00"), ("T2", "cancelled", "2026-03-02 12:00"), ("T2", "cancelled", "2026-03-02 13:00"),
        ("T3", "cancelled", "2026-03-02 12:00"), ("T4", "repair_started", "2026-03-02 11:00"),
    ], {"T1": PAID, "T2": PAID, "T3": PAID, "T4": IN_WARRANTY})
    rules_ = load_rules()
    diff = engine_vs_oracle(check(log, rules_, as_of=AS_OF).results, check_oracle(log, rules_, as_of=AS_OF))
    assert diff.empty, diff.T


# -- the rules file: validation and lint --------------------------------------------------------------
RULE = """
[[rules]]
id = "paid-no-cancel"
kind = "forbidden"
applies_to = { all = [{ field = "case_type", equals = "ticket" }, { field = "warranty", equals = "out" }] }
after = ["repair_started", "part_requested"]
event = "cancelled"
"""


def message(text: str) -> str:
    with pytest.raises(InputError) as caught:
        parse_rules(text, source="rules.toml")
    return str(caught.value)


def test_the_plain_rule_parses():
    """So each failure below is caused by its one change."""
    rule = parse_rules(RULE).rules[0]
    assert (rule.kind, rule.after, rule.event) == ("forbidden", ["repair_started", "part_requested"], ["cancelled"])


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (('event = "cancelled"', 'event = "cancelled"\nwindow = "3d"'),
         "rules.toml: rule 'paid-no-cancel': field 'window': is not a known field; expected only the fields of docs/reference/rules.md"),
        (('after = ["repair_started", "part_requested"]', 'after = []'),
         "rules.toml: rule 'paid-no-cancel': field 'after': is empty: a forbidden rule needs at least one trigger activity"),
        (('event = "cancelled"', 'event = []'),
         "rules.toml: rule 'paid-no-cancel': field 'event': is empty: a forbidden rule needs at least one forbidden activity"),
        (('event = "cancelled"', 'event = ["cancelled", "part_requested"]'),
         "rules.toml: rule 'paid-no-cancel': field 'event': ['part_requested'] is also in 'after': an event cannot be forbidden after itself"),
        (('event = "cancelled"', ''),
         "rules.toml: rule 'paid-no-cancel': field 'event': is missing; expected a value (see docs/reference/rules.md)"),
        (('event = "cancelled"', 'event = "canceled"'),
         "rules.toml: rule 'paid-no-cancel': unknown activity 'canceled' (did you mean 'cancelled'?); expected an activity of the vocabulary (docs/reference/eventlog.md) or one listed in [activities] extra"),
        (('event = "cancelled"', 'event = "cancelled"\nbasis = "calendar"'),
         "rules.toml: rule 'paid-no-cancel': field 'basis': a forbidden rule measures no time, so it takes no 'basis'"),
        (('event = "cancelled"', 'event = "cancelled"\ncalendar = "service"'),
         "rules.toml: rule 'paid-no-cancel': field 'calendar': a forbidden rule measures no time, so it takes no 'calendar'"),
        (('after = ["repair_started", "part_requested"]', 'after = "sent_to_vendor"'),
         "rules.toml: rule 'paid-no-cancel': field 'event': the trigger ['sent_to_vendor'] belongs to ['item'] cases but the event ['cancelled'] to ['ticket'] cases, so the event can never follow the trigger; expected after and event activities of one case type"),
        (('{ field = "case_type", equals = "ticket" }', '{ field = "case_type", equals = "item" }'),
         "rules.toml: rule 'paid-no-cancel': field 'applies_to': applies to item cases but its trigger ['repair_started', 'part_requested'] only happens in ['ticket'] cases, so it can never attach; expected a trigger activity of the case type it applies to"),
    ],
)
def test_malformed_forbidden_rule_messages(change, expected):
    """Each planted mistake gives exactly its one-line message naming the file, the rule and the field."""
    old, new = change
    assert old in RULE
    assert message(RULE.replace(old, new)) == expected


def test_an_activity_of_the_live_log_is_allowed_once_declared():
    """An export's own state can be the forbidden event when [activities] extra lists it."""
    text = '[activities]\nextra = ["Storniert"]\n' + RULE.replace('event = "cancelled"', 'event = "Storniert"')
    assert parse_rules(text).rules[0].event == ["Storniert"]


def test_basis_wall_may_be_written_out():
    assert parse_rules(RULE + 'basis = "wall"\n').rules[0].basis == "wall"


def test_a_bad_forbidden_rule_makes_svcsim_check_exit_2(tmp_path):
    """`svcsim check --rules` with a forbidden rule that can never fire: one line naming the file and field, exit 2."""
    bad = tmp_path / "rules.toml"
    bad.write_text(RULE.replace('event = "cancelled"', 'event = ["cancelled", "repair_started"]'), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "svcsim.cli", "check", "--rules", str(bad)], capture_output=True, text=True)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr == (f"svcsim: error: {bad}: rule 'paid-no-cancel': field 'event': ['repair_started'] is also in 'after': "
                           "an event cannot be forbidden after itself\n")


def test_a_list_of_forbidden_events_names_the_one_that_came():
    """No work on a closed ticket: the engineer who arrived after the ticket was closed is the evidence."""
    own = rules("""
[[rules]]
id = "closed-stays-closed"
kind = "forbidden"
after = "closed"
event = ["dispatched", "arrived_on_site"]
""")
    log = make_log([("T1", "dispatched", "2026-03-02 09:00"), ("T1", "closed", "2026-03-02 10:00"),
                    ("T1", "arrived_on_site", "2026-03-02 11:00"), ("T1", "dispatched", "2026-03-02 12:00")])
    row = check(log, own, as_of=AS_OF).results.iloc[0]
    assert (row["status"], row["stop"], row["reason"]) == ("breached", local("2026-03-02 11:00"), "arrived_on_site after closed")
