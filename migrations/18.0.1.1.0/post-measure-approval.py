# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""18.0.1.1.0: the measures made before the approval mixin get who sent
them and when (their creator, their creation) and, when decided, when (their
last change)."""

from openupgradelib import openupgrade

TABLE = "customer_care_complaint_measure"


@openupgrade.migrate()
def migrate(env, version):
    # every measure was made before the requester was kept: its creator is
    # (the new column may have been filled with the installer's default)
    openupgrade.logged_query(
        env.cr,
        f"""
        UPDATE {TABLE}
           SET requested_by_id = create_uid,
               requested_at = CASE WHEN state != 'draft' OR approver_id IS NOT NULL
                                   THEN create_date END,
               decided_at = CASE WHEN approver_id IS NOT NULL THEN write_date END
        """,
    )
