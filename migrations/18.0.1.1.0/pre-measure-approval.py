# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""18.0.1.1.0: a preventive measure is approved through the approval mixin,
like the over-limit requests: its decider is ``approver_id`` (was
``approved_by_id``) and "to approve" is the mixin's ``requested``."""

from openupgradelib import openupgrade

TABLE = "customer_care_complaint_measure"


@openupgrade.migrate()
def migrate(env, version):
    cr = env.cr
    if openupgrade.column_exists(
        cr, TABLE, "approved_by_id"
    ) and not openupgrade.column_exists(cr, TABLE, "approver_id"):
        openupgrade.rename_fields(
            env,
            [
                (
                    "customer.care.complaint.measure",
                    TABLE,
                    "approved_by_id",
                    "approver_id",
                )
            ],
        )
    openupgrade.logged_query(
        cr, f"UPDATE {TABLE} SET state = 'requested' WHERE state = 'to_approve'"
    )
