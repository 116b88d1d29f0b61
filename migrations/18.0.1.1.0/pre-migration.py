# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""18.0.1.1.0: the scores of a callback are 1 to 5 stars (a selection,
"1" to "5") and empty when not asked, instead of integers where 0 meant
"not asked". Done before the models are loaded: left to the ORM, the integer
columns would be cast to text as they are, every 0 becoming a score "0"."""

import json

from openupgradelib import openupgrade

from odoo.tools import SQL

MODEL = "customer.care.callback"
TABLE = "customer_care_callback"
SCORE_COLUMNS = (
    "score_delivery",
    "score_shipping",
    "score_receipt_return",
    "score_cargo_safety",
    "score_service_attitude",
    "score_driver_attitude",
    "score_damage_handling",
    "score_overall",
)
# the labels of the stars, as the chatter keeps them for a selection
SCORE_LABELS = {
    "1": "Very Poor",
    "2": "Poor",
    "3": "Fair",
    "4": "Good",
    "5": "Excellent",
}


def _column_type(cr, table, column):
    cr.execute(
        SQL(
            """
            SELECT format_type(atttypid, atttypmod)
              FROM pg_attribute
             WHERE attrelid = to_regclass(%s) AND attname = %s AND NOT attisdropped
            """,
            table,
            column,
        )
    )
    row = cr.fetchone()
    return row and row[0]


def scores_to_selection(cr, table, columns):
    """Turn the integer score ``columns`` of ``table`` into text, in one
    rewrite of the table: 1 to 5 stay (as "1" to "5"), 0 (not asked) and any
    other number become empty. Columns that are not integers (already
    converted, or absent) are left alone. Returns the columns converted."""
    columns = [c for c in columns if _column_type(cr, table, c) == "integer"]
    if not columns:
        return []
    query = SQL(
        "ALTER TABLE %s %s",
        SQL.identifier(table),
        SQL(", ").join(
            SQL(
                "ALTER COLUMN %(column)s TYPE varchar USING CASE WHEN %(column)s "
                "BETWEEN 1 AND 5 THEN %(column)s::varchar END",
                column=SQL.identifier(column),
            )
            for column in columns
        ),
    )
    openupgrade.logged_query(cr, query.code, query.params)
    return columns


def fill_score_figures(cr, table, columns, overall="score_overall"):
    """Set the figures computed from the scores (text columns by now): the
    average of the scores given (``score_average``, 0 without any) and the
    overall satisfaction as a number (``satisfaction``, added if missing:
    filled here, the ORM does not compute it for every callback again)."""
    openupgrade.logged_query(
        cr,
        SQL(
            "ALTER TABLE %s ADD COLUMN IF NOT EXISTS satisfaction numeric",
            SQL.identifier(table),
        ).code,
    )
    query = SQL(
        """
        UPDATE %(table)s
           SET satisfaction = COALESCE(CAST(%(overall)s AS integer), 0),
               score_average = COALESCE((
                    SELECT ROUND(AVG(CAST(score AS integer)), 2)
                      FROM unnest(ARRAY[%(columns)s]) AS score), 0)
        """,
        table=SQL.identifier(table),
        overall=SQL.identifier(overall),
        columns=SQL(", ").join(SQL.identifier(column) for column in columns),
    )
    openupgrade.logged_query(cr, query.code, query.params)


def scores_tracking_to_selection(cr, model, columns):
    """The changes of the scores in the chatter, kept as integers, kept as
    the labels of a selection instead (0, not asked, as empty): else the
    history of the callbacks would show no value."""
    query = SQL(
        """
        UPDATE mail_tracking_value v
           SET old_value_char = COALESCE(
                   %(labels)s::jsonb ->> v.old_value_integer::text, ''),
               new_value_char = COALESCE(
                   %(labels)s::jsonb ->> v.new_value_integer::text, ''),
               old_value_integer = NULL,
               new_value_integer = NULL
          FROM ir_model_fields f
         WHERE f.id = v.field_id
           AND f.model = %(model)s
           AND f.name = ANY(%(columns)s)
           AND (v.old_value_integer IS NOT NULL OR v.new_value_integer IS NOT NULL)
        """,
        labels=json.dumps(SCORE_LABELS),
        model=model,
        columns=list(columns),
    )
    openupgrade.logged_query(cr, query.code, query.params)


@openupgrade.migrate()
def migrate(env, version):
    if scores_to_selection(env.cr, TABLE, SCORE_COLUMNS):
        fill_score_figures(env.cr, TABLE, SCORE_COLUMNS)
        scores_tracking_to_selection(env.cr, MODEL, SCORE_COLUMNS)
