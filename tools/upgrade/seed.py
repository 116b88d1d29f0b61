# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The upgrade test's seed (``python3 tools/care.py upgrade-test``): run by
``odoo shell`` on the database of the OLD release, through the ORM of that
release, it adds records of each model whose stored data the migrations
touch (and a few others), then writes a JSON snapshot of what must survive
the upgrade to the file named by ``CARE_UPGRADE_SNAPSHOT``.

Only fields of the old release are used here: this file must keep working
with the code of release 18.0.1.0.0 (``env`` is given by ``odoo shell``)."""

# ruff: noqa: F821 - ``env`` comes from odoo shell
import base64
import json
import os
import sys
from datetime import datetime, timedelta

from odoo import models
from odoo.tools import SQL

sys.path.insert(0, os.environ["CARE_UPGRADE_DIR"])
from common import MODULE, SCORES, plain  # noqa: E402

SKIPPED_TYPES = ("binary", "one2many", "json", "properties", "properties_definition")


def kept_fields(model, own):
    """The stored fields of ``model`` that the upgrade must keep as they
    are: not computed (a computed field may be computed anew), not magic;
    on a model of another module, only the fields of this one."""
    names = []
    for name, field in model._fields.items():
        if (
            not field.store
            or field.compute
            or field.related
            or field.type in SKIPPED_TYPES
            or name in models.MAGIC_COLUMNS
            or name in ("write_date", "write_uid", "create_date", "create_uid")
        ):
            continue
        if own or field._module == MODULE:
            names.append(name)
    return sorted(names)


def last_ids():
    """The last id of each table, before the seed."""
    last = {}
    for name in env.registry:
        model = env[name]
        if not (model._abstract or model._transient or not model._auto):
            env.cr.execute(SQL("SELECT max(id) FROM %s", SQL.identifier(model._table)))
            last[name] = env.cr.fetchone()[0] or 0
    return last


def snapshot_models():
    """Every record of this module's models and, on the models it extends,
    the values of its fields. Records with an XML id of this module are
    loaded again by the upgrade from their (new) data files: only their
    existence is kept for them."""
    snap = {}
    xmlids = set(
        env["ir.model.data"]
        .search([("module", "=", MODULE)])
        .mapped(lambda d: (d.model, d.res_id))
    )
    for name in sorted(env.registry):
        model = env[name].with_context(active_test=False, lang="en_US")
        if model._abstract or model._transient or not model._auto:
            continue
        own = model._original_module == MODULE
        names = kept_fields(model, own)
        if not own and not names:
            continue
        # on another module's model, only the records the seed made
        domain = [] if own else [("id", ">", BEFORE.get(name, 0))]
        records = model.search(domain)
        values = {
            str(record.id): {n: plain(record, n) for n in names}
            for record in records
            if (name, record.id) not in xmlids
        }
        snap[name] = {"own": own, "ids": sorted(records.ids), "values": values}
    return snap


def seed():
    """Records of each model the migrations touch, and a few others.
    Returns the ids of what it made, by kind, for the check."""
    ref = env.ref
    # the demo data of the release: its users, complaint team, pickup point
    manager = ref(f"{MODULE}.user_general_manager")
    agent = ref(f"{MODULE}.user_callback_agent")
    customer = env["res.partner"].create(
        {"name": "升级测试客户有限公司", "is_company": True, "phone": "021-5555 0101"}
    )
    contact = env["res.partner"].create(
        {"name": "升级测试联系人", "parent_id": customer.id, "mobile": "13800000001"}
    )
    seeded = {"customer": customer.id, "contact": contact.id}

    # callbacks: every integer score 0 (not asked) to 5, one changed after
    # its creation (a tracking value of an integer in the chatter)
    Callback = env["customer.care.callback"]
    callbacks = Callback.browse()
    for i in range(6):
        vals = {score: (i + j) % 6 for j, score in enumerate(SCORES)}
        callbacks |= Callback.create(
            {
                "partner_id": customer.id,
                "contact_id": contact.id,
                "user_id": agent.id,
                "method": "phone",
                "summary": f"升级测试回访 {i}",
                "opinion": "送货准时" if i % 2 else False,
                **vals,
            }
        )
    # a record made in this transaction is not tracked: commit it first
    env.cr.commit()
    callbacks[0].write({"score_overall": 4})
    env.cr.commit()
    callbacks[0].write({"score_overall": 0, "state": "done"})
    callbacks[1].message_post(body="回访备注：客户要求下次上午联系")
    attachment = env["ir.attachment"].create(
        {
            "name": "录音摘要.txt",
            "datas": base64.b64encode("客户满意".encode()),
            "res_model": Callback._name,
            "res_id": callbacks[1].id,
        }
    )
    callbacks[2].message_post(body="附上通话记录", attachment_ids=[attachment.id])
    issue = env["customer.care.callback.issue"].create(
        {"callback_id": callbacks[1].id, "name": "发票寄送慢", "owner_id": agent.id}
    )
    seeded.update(callbacks=callbacks.ids, issue=issue.id, attachment=attachment.id)

    # a complaint: its deadlines are made from its receipt
    complaint = env["helpdesk.ticket"].create(
        {
            "name": "升级测试投诉：货物破损",
            "description": "<p>到货两箱破损</p>",
            "partner_id": customer.id,
            "care_is_complaint": True,
            "care_category": "product_quality",
            "care_restated": "客户反映到货两箱破损，要求补发。",
            "care_crit_compensation": True,
            "care_loss_amount": 1200,
            "team_id": ref(f"{MODULE}.team_complaint").id,
        }
    )
    complaint.message_post(body="已联系客户核实破损情况")
    seeded["complaint"] = complaint.id
    seeded["deadlines"] = complaint.care_deadline_ids.ids

    # measures in each state of the release, approved ones with their decider
    Measure = env["customer.care.complaint.measure"]
    measures = {}
    for state in ("draft", "to_approve", "approved", "done", "cancelled"):
        measure = Measure.create(
            {
                "name": f"升级测试措施 {state}",
                "measure_type": "preventive",
                "user_id": agent.id,
                "date_deadline": "2026-12-31",
                "ticket_ids": [(6, 0, complaint.ids)],
            }
        )
        decided = state in ("approved", "done")
        measure.write(
            {
                "state": state,
                "approved_by_id": decided and manager.id,
                "result": state == "done" and "已完成入库通电测试" or False,
            }
        )
        measures[state] = measure.id
    seeded["measures"] = measures

    # a self-pickup notified with a voucher (clear code and token), and one
    # collected with the collector's ID number in clear
    point = ref(f"{MODULE}.pickup_point_shanghai")
    product = env["product.product"].create({"name": "升级测试商品", "list_price": 10})
    orders = env["sale.order"]
    for _i in range(3):
        orders |= env["sale.order"].create(
            {
                "partner_id": customer.id,
                "order_line": [
                    (0, 0, {"product_id": product.id, "product_uom_qty": 2})
                ],
            }
        )
    Pickup = env["customer.care.pickup"]
    # a weekday at 10:00 in Shanghai (02:00 UTC), inside the opening hours
    planned = datetime.now().replace(hour=2, minute=0, second=0, microsecond=0)
    planned += timedelta(days=3)
    while planned.weekday() >= 5:
        planned += timedelta(days=1)
    notified = Pickup.create(
        {"sale_order_id": orders[0].id, "point_id": point.id, "planned_at": planned}
    )
    voucher = env["customer.care.pickup.voucher"]._care_issue(notified)
    notified.write({"state": "notified", "notice_sent_at": datetime.now()})
    collected = Pickup.create(
        {"sale_order_id": orders[1].id, "point_id": point.id, "planned_at": planned}
    )
    collected.write(
        {
            "state": "collected",
            "collector_name": "升级测试提货人",
            "collector_id_number": "310101199001011234",
            "collected_at": datetime.now().replace(microsecond=0),
            "desk_user_id": env.user.id,
        }
    )
    collected.message_post(body="已核对身份证并交货")
    seeded.update(pickups=[notified.id, collected.id], voucher=voucher.id)

    # over-limit requests: one approved with its collection, one refused
    Request = env["customer.care.credit.request"]
    approved = Request.create(
        {
            "sale_order_id": orders[2].id,
            "order_amount": 20,
            "exposure": 120000,
            "credit_limit": 100000,
            "amount_over": 20020,
            "shipment_kind": "first",
            "repayment_date": "2026-12-25",
            "repayment_amount": 20020,
        }
    )
    approved.write(
        {
            "state": "approved",
            "requested_by_id": agent.id,
            "approver_id": manager.id,
            "approved_amount": 20,
            "collection_due": "2026-12-31",
            "collection_state": "open",
        }
    )
    refused = Request.create({"sale_order_id": orders[1].id, "shipment_kind": "other"})
    refused.write(
        {"state": "refused", "approver_id": manager.id, "refusal_reason": "逾期未还"}
    )
    seeded["requests"] = [approved.id, refused.id]
    return seeded


def secrets():
    """What the migrations turn into hashes or masks, read in clear."""
    vouchers = env["customer.care.pickup.voucher"].sudo().search([])
    pickups = env["customer.care.pickup"].sudo().search([])
    return {
        "vouchers": {str(v.id): [v.code or "", v.access_token or ""] for v in vouchers},
        "collectors": {
            str(p.id): p.collector_id_number for p in pickups if p.collector_id_number
        },
    }


def chatter(snap):
    """The messages, tracking values and attachments of this module's
    records."""
    own = [name for name, data in snap.items() if data["own"]]
    messages = env["mail.message"].search([("model", "in", own)])
    tracking = env["mail.tracking.value"].search(
        [("mail_message_id", "in", messages.ids)]
    )
    attachments = env["ir.attachment"].search([("res_model", "in", own)])
    return {
        "messages": sorted(messages.ids),
        "tracking": {
            str(t.id): [
                t.field_id.model,
                t.field_id.name,
                t.old_value_integer,
                t.new_value_integer,
            ]
            for t in tracking
        },
        "attachments": sorted(attachments.ids),
    }


BEFORE = last_ids()
version = env.ref(f"base.module_{MODULE}").latest_version
seeded = seed()
env.flush_all()
env.cr.precommit.run()  # the tracking values of the changes, as a commit makes them
snap = snapshot_models()
result = {
    "version": version,
    "seeded": seeded,
    "secrets": secrets(),
    "chatter": chatter(snap),
    "models": snap,
}
env.cr.commit()
with open(os.environ["CARE_UPGRADE_SNAPSHOT"], "w", encoding="utf-8") as out:
    json.dump(result, out, ensure_ascii=False, indent=1, sort_keys=True)
count = sum(len(data["ids"]) for data in snap.values())
print(f"seeded on {version}: {count} records in the snapshot")
