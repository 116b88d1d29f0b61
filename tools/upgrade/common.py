# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What the upgrade test's seed (old code) and check (new code) share: the
scores of a callback and how a field's value is written into the snapshot.
Imported by them from ``odoo shell``: it must work with both releases."""

MODULE = "customer_care"
SCORES = (
    "score_delivery",
    "score_shipping",
    "score_receipt_return",
    "score_cargo_safety",
    "score_service_attitude",
    "score_driver_attitude",
    "score_damage_handling",
    "score_overall",
)


def plain(record, name):
    """The value of the field ``name`` of ``record`` as JSON can hold it."""
    field = record._fields[name]
    value = record[name]
    if field.type == "many2one":
        return value.id or False
    if field.type == "many2many":
        return sorted(value.ids)
    if field.type == "reference":
        return value and f"{value._name},{value.id}"
    if field.type in ("date", "datetime"):
        return value and str(value)
    return value
