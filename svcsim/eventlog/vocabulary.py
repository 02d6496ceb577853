"""The activity vocabulary: every fact a process or a live export can narrate.

Defined once here; ``docs/reference/eventlog.md`` is its reference table and a
test keeps the two in step. Activities are past-tense facts about one case: a
*ticket* (a customer's call and the job it becomes) or an *item* (a defective
part or unit on its way through repair and the vendor).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Activity", "ACTIVITIES", "ACTIVITY_NAMES", "CASE_TYPES"]

CASE_TYPES: tuple[str, ...] = ("ticket", "item")


@dataclass(frozen=True)
class Activity:
    """One kind of event: its name, the case type it belongs to, who records it, what it means."""

    name: str
    case_type: str
    recorded_by: str
    meaning: str


ACTIVITIES: tuple[Activity, ...] = (
    Activity("call_received", "ticket", "phone operators", "a customer's call reached the center's queue"),
    Activity("call_answered", "ticket", "phone operators", "an operator picked the call up"),
    Activity("call_abandoned", "ticket", "phone operators", "the caller hung up before being answered"),
    Activity("resolved_by_phone", "ticket", "operators / technical support", "the question was settled on the phone; no ticket"),
    Activity("ticket_logged", "ticket", "phone operators", "the ticket was accepted and logged; it now waits for dispatch"),
    Activity("dispatched", "ticket", "dispatchers", "an engineer was assigned the job (again, for a revisit)"),
    Activity("arrived_on_site", "ticket", "field engineers", "the field engineer reported arrival at the customer"),
    Activity("part_requested", "ticket", "field / bench engineers", "a spare part was asked of the store"),
    Activity("part_issued", "ticket", "spares store", "the store handed the spare part out"),
    Activity("waiting_parts", "ticket", "field / bench engineers", "the job stopped because no spare was in stock"),
    Activity("parts_received", "ticket", "spares store", "the missing spare arrived for a waiting job"),
    Activity("customer_delay", "ticket", "engineers / dispatchers", "the customer asked to postpone or was not available"),
    Activity("customer_ready", "ticket", "engineers / dispatchers", "the customer became available again"),
    Activity("completed", "ticket", "engineers (reported to dispatch)", "the repair or installation was finished"),
    Activity("bad_part_returned", "ticket", "field engineers", "the defective part was handed to the spares administrator"),
    Activity("callback_made", "ticket", "dispatchers", "the satisfaction callback to the customer was made"),
    Activity("closed", "ticket", "dispatchers", "the ticket was closed"),
    Activity("unit_received", "ticket", "bench engineers", "a carried-in or mailed-in unit arrived at a repair point"),
    Activity("repaired", "ticket", "bench engineers", "the unit passed its post-repair test"),
    Activity("unit_shipped", "ticket", "bench engineers", "the unit was shipped back to the customer"),
    Activity("item_received", "item", "spares administrator", "a defective part or DOA unit arrived for the vendor loop"),
    Activity("sent_to_vendor", "item", "spares administrator", "the item was shipped to the supplier"),
    Activity("vendor_confirmed", "item", "spares administrator", "the supplier confirmed receipt and that the fault matches the record"),
    Activity("user_informed", "item", "spares administrator", "the user was told of the repair progress"),
    Activity("user_contacted", "item", "spares administrator", "the second contact with the user was made"),
    Activity("returned_from_vendor", "item", "spares administrator", "the repaired or exchanged item came back from the supplier"),
    Activity("scrapped", "item", "spares administrator", "the supplier could not repair the item; it was scrapped"),
    # appended, not inserted: an activity's code is its position
    Activity("reassigned", "ticket", "dispatchers", "a job waiting on a busy engineer's list was moved to a free engineer"),
    Activity("repair_started", "ticket", "field / bench engineers", "the engineer started the repair (after diagnosis or the fault test)"),
    Activity("warranty_checked", "ticket", "spares administrator", "a unit's warranty was checked (proof and date of purchase) or, out of warranty, quoted"),
    Activity("cancelled", "ticket", "operators / spares administrator", "the customer's request to cancel the paid repair was accepted"),
    Activity("cancel_refused", "ticket", "operators / spares administrator", "the customer asked to cancel a signed paid repair already started; refused"),
    Activity("exchanged", "item", "purchasing", "the supplier exchanged a DOA unit not repaired in time; the customer gets a new one"),
    Activity("refunded", "item", "purchasing", "a DOA unit not repaired in time was refunded to the customer"),
)

ACTIVITY_NAMES: frozenset[str] = frozenset(a.name for a in ACTIVITIES)
