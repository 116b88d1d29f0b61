# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The upgrade test's check (``python3 tools/care.py upgrade-test``): run by
``odoo shell`` on the upgraded database, with the code of the working tree,
it reads the snapshot that the seed wrote on the old release
(``CARE_UPGRADE_SNAPSHOT``) and checks that every record is still there with
its values, or their migrated form:

- callback scores 1 to 5 as the stars "1" to "5", 0 (not asked) as empty,
  their average and the history of their changes in the chatter;
- pickup vouchers: the code and the link's token as keyed hashes that still
  match, their clear columns gone; the collector's ID number masked, with
  its keyed hash;
- measures: "to approve" is the approval mixin's "requested", the decider
  ``approver_id`` (was ``approved_by_id``), requester and dates filled;
- messages, tracking values and attachments all kept.

Prints ``upgrade check: N records checked`` or the differences, and exits
with 1 then."""

# ruff: noqa: F821 - ``env`` comes from odoo shell
import json
import os
import sys

from odoo.addons.customer_care.models.customer_care_pickup import (
    is_masked_id_number,
    mask_id_number,
    normalize_id_number,
)
from odoo.addons.customer_care.models.customer_care_pickup_voucher import (
    care_hash,
    normalize_code,
)

sys.path.insert(0, os.environ["CARE_UPGRADE_DIR"])
from common import MODULE, SCORES, plain  # noqa: E402

CALLBACK = "customer.care.callback"
MEASURE = "customer.care.complaint.measure"
PICKUP = "customer.care.pickup"
VOUCHER = "customer.care.pickup.voucher"
MEASURE_STATES = {"to_approve": "requested"}
# the fields the migrations drop, checked on their own below
DROPPED = {(VOUCHER, "code"), (VOUCHER, "access_token")}

failures = []


def expect(what, got, want):
    if got != want:
        failures.append(f"{what}: {got!r}, expected {want!r}")


def star(score):
    return str(score) if score in (1, 2, 3, 4, 5) else False


def migrated(model, name, value):
    """(field, value) in the new release of the old field ``name`` of
    ``model`` holding ``value``."""
    if model == CALLBACK and name in SCORES:
        return name, star(value)
    if model == MEASURE and name == "state":
        return name, MEASURE_STATES.get(value, value)
    if model == MEASURE and name == "approved_by_id":
        return "approver_id", value
    if model == PICKUP and name == "collector_id_number":
        return name, value and mask_id_number(value)
    return name, value


def check_records(snapshot):
    """Every record of the snapshot exists, with its values migrated."""
    checked = 0
    for name, data in snapshot["models"].items():
        if name not in env:
            failures.append(f"the model {name} is gone ({len(data['ids'])} records)")
            continue
        model = env[name].with_context(active_test=False, lang="en_US")
        ids = set(data["ids"])
        missing = ids - set(model.browse(sorted(ids)).exists().ids)
        if missing:
            failures.append(f"{name}: records gone: {sorted(missing)}")
        for record_id, values in data["values"].items():
            record = model.browse(int(record_id))
            if int(record_id) in missing:
                continue
            for old_name, old_value in values.items():
                if (name, old_name) in DROPPED:
                    continue
                new_name, want = migrated(name, old_name, old_value)
                if new_name not in model._fields:
                    failures.append(f"{name}.{old_name}: the field is gone")
                    continue
                expect(f"{name}({record_id}).{new_name}", plain(record, new_name), want)
        checked += len(ids) - len(missing)
    return checked


def check_scores(snapshot):
    """The figures computed from the stars, and the chatter's history."""
    callbacks = env[CALLBACK].browse(snapshot["seeded"]["callbacks"])
    for callback in callbacks:
        values = snapshot["models"][CALLBACK]["values"][str(callback.id)]
        stars = [int(s) for s in map(star, (values[n] for n in SCORES)) if s]
        average = round(sum(stars) / len(stars), 2) if stars else 0
        expect(f"callback {callback.id} score_average", callback.score_average, average)
        if "satisfaction" in callback._fields:
            overall = star(values["score_overall"])
            expect(
                f"callback {callback.id} satisfaction",
                callback.satisfaction,
                int(overall) if overall else 0,
            )
    labels = {}
    tracked = env["mail.tracking.value"].sudo()
    for tracking_id, (model, field, old, new) in snapshot["chatter"][
        "tracking"
    ].items():
        value = tracked.browse(int(tracking_id))
        if not value.exists():
            failures.append(f"tracking value {tracking_id} ({model}.{field}) is gone")
            continue
        if model != CALLBACK or field not in SCORES:
            continue
        if field not in labels:
            labels[field] = dict(
                env[CALLBACK]
                .with_context(lang="en_US")
                ._fields[field]
                ._description_selection(env(context={"lang": "en_US"}))
            )
        for side, score in (("old", old), ("new", new)):
            want = labels[field].get(star(score), "") if star(score) else ""
            expect(f"tracking {tracking_id} {side}", value[f"{side}_value_char"], want)
            expect(
                f"tracking {tracking_id} {side} integer",
                value[f"{side}_value_integer"],
                0,
            )
    if not any(
        f in SCORES for _m, f, _o, _n in snapshot["chatter"]["tracking"].values()
    ):
        failures.append("the seed made no tracking value of a score")


def check_pickup_secrets(snapshot):
    """The vouchers' hashes match their old code and token; the clear
    columns are gone; the collectors' ID numbers are masked and hashed."""
    Voucher = env[VOUCHER].sudo()
    for voucher_id, (code, token) in snapshot["secrets"]["vouchers"].items():
        voucher = Voucher.browse(int(voucher_id))
        expect(
            f"voucher {voucher_id} code_hash",
            voucher.code_hash,
            code and care_hash(env, "pickup.code_hash", normalize_code(code)),
        )
        expect(
            f"voucher {voucher_id} token_hash",
            voucher.token_hash,
            token and care_hash(env, "pickup.token", token),
        )
        expect(
            f"voucher {voucher_id} matches its code", voucher._care_matches(code), True
        )
    seeded = Voucher.browse(snapshot["seeded"]["voucher"])
    _code, token = snapshot["secrets"]["vouchers"][str(seeded.id)]
    expect(
        "the seeded voucher's link",
        Voucher._care_portal_voucher(seeded.id, token),
        seeded,
    )
    env.cr.execute(
        """
        SELECT column_name FROM information_schema.columns
         WHERE table_name = 'customer_care_pickup_voucher'
           AND column_name IN ('code', 'access_token')
        """
    )
    expect("clear voucher columns", sorted(r[0] for r in env.cr.fetchall()), [])
    Pickup = env[PICKUP].sudo()
    for pickup_id, number in snapshot["secrets"]["collectors"].items():
        pickup = Pickup.browse(int(pickup_id))
        expect(
            f"pickup {pickup_id} ID number masked",
            is_masked_id_number(pickup.collector_id_number),
            True,
        )
        expect(
            f"pickup {pickup_id} ID hash",
            pickup.collector_id_hash,
            care_hash(env, "pickup.collector_id", normalize_id_number(number)),
        )
    if not snapshot["secrets"]["collectors"]:
        failures.append("the seed made no collected pickup with an ID number")


def check_measures(snapshot):
    """The approval mixin's requester and dates on the old measures."""
    for old_state, measure_id in snapshot["seeded"]["measures"].items():
        measure = env[MEASURE].browse(measure_id)
        expect(
            f"measure {old_state} requested_by_id",
            measure.requested_by_id,
            measure.create_uid,
        )
        expect(
            f"measure {old_state} requested_at",
            bool(measure.requested_at),
            old_state != "draft",
        )
        expect(
            f"measure {old_state} decided_at",
            bool(measure.decided_at),
            old_state in ("approved", "done"),
        )


def check_chatter(snapshot):
    """Every message and attachment of this module's records is kept, and
    the seeded attachment's content with it."""
    chatter = snapshot["chatter"]
    for model, ids in (
        ("mail.message", chatter["messages"]),
        ("ir.attachment", chatter["attachments"]),
    ):
        kept = env[model].sudo().browse(ids).exists()
        expect(f"{model} kept", len(kept), len(ids))
    attachment = env["ir.attachment"].sudo().browse(snapshot["seeded"]["attachment"])
    expect("the seeded attachment's content", attachment.raw, "客户满意".encode())


with open(os.environ["CARE_UPGRADE_SNAPSHOT"], encoding="utf-8") as data:
    snapshot = json.load(data)
module = env["ir.module.module"].search([("name", "=", MODULE)])
expect("module state", module.state, "installed")
expect("module version", module.latest_version, os.environ["CARE_UPGRADE_VERSION"])
count = check_records(snapshot)
check_scores(snapshot)
check_pickup_secrets(snapshot)
check_measures(snapshot)
check_chatter(snapshot)
env.cr.rollback()
if failures:
    print(f"upgrade check: {len(failures)} difference(s):")
    for failure in failures:
        print("  " + failure)
    sys.exit(1)
print(f"upgrade check: {count} records checked")
