# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import threading
import time

import psycopg2.errors

from odoo import SUPERUSER_ID, Command, api
from odoo.modules.registry import Registry
from odoo.tests.common import BaseCase, get_db_name, tagged
from odoo.tools import mute_logger

DOCUMENT = base64.b64encode(b"scanned copy")
LIMIT = 1000.0
AMOUNT = 600.0  # each order fits, both do not


@tagged("post_install", "-at_install")
class TestCreditConcurrentConfirmations(BaseCase):
    """Two salesmen confirm orders of the same customer at the same moment:
    each order fits in the limit, both together do not. The credit check
    locks the customer's row, so the second waits for the first and then
    sees its order (issue 6, "Correctness under load").

    Two real transactions are needed, which a TransactionCase cannot give:
    the data is committed here and removed again at the end."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())
        cls.addClassCleanup(cls._remove_data)
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            company = env.company
            cls.company_id = company.id
            cls.setting_before = company.account_use_credit_limit
            company.account_use_credit_limit = True
            customer = env["res.partner"].create(
                {
                    "name": "并发测试 常州新创建材",
                    "is_company": True,
                    "care_business_licence": DOCUMENT,
                    "care_tax_certificate": DOCUMENT,
                    "care_id_copy": DOCUMENT,
                    "care_credit_contract_type": "distribution",
                    "care_credit_contract_date": "2026-01-05",
                    "care_credit_contract": DOCUMENT,
                }
            )
            customer.write({"care_credit_mode": "manual", "credit_limit": LIMIT})
            product = env["product.product"].create(
                {"name": "并发测试 水泥", "type": "consu", "invoice_policy": "order"}
            )
            orders = env["sale.order"].create(
                [
                    {
                        "partner_id": customer.id,
                        "order_line": [
                            Command.create(
                                {
                                    "product_id": product.id,
                                    "price_unit": AMOUNT,
                                    "tax_id": [Command.clear()],
                                }
                            )
                        ],
                    }
                    for _i in range(2)
                ]
            )
            cls.customer_id = customer.id
            cls.product_id = product.id
            cls.order_ids = orders.ids

    @classmethod
    def _remove_data(cls):
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            orders = env["sale.order"].browse(cls.order_ids).exists()
            pickings = orders.picking_ids
            pickings.action_cancel()
            pickings.unlink()
            orders._action_cancel()
            orders.unlink()
            partners = env["res.partner"].search([("id", "child_of", cls.customer_id)])
            env["customer.care.callback"].search(
                [("partner_id", "in", partners.ids)]
            ).unlink()
            env["procurement.group"].search(
                [("partner_id", "in", partners.ids)]
            ).unlink()
            partners.unlink()
            product = env["product.product"].browse(cls.product_id)
            template = product.product_tmpl_id
            product.unlink()
            template.unlink()
            env["res.company"].browse(
                cls.company_id
            ).account_use_credit_limit = cls.setting_before

    def _confirm_in_thread(self, order_id, outcome):
        """Confirm an order in a transaction of its own; ``outcome`` gets the
        backend pid first, then the result or the serialization failure."""

        def run():
            with self.registry.cursor() as cr:
                cr.execute("SELECT pg_backend_pid()")
                outcome["pid"] = cr.fetchone()[0]
                outcome["started"].set()
                # Odoo's own runner holds the registry lock while it runs the
                # tests: give the cursor its transaction without asking for
                # the registry by name (which takes that lock)
                cr.transaction = api.Transaction(self.registry)
                env = api.Environment(cr, SUPERUSER_ID, {})
                try:
                    outcome["result"] = (
                        env["sale.order"].browse(order_id).action_confirm()
                    )
                except psycopg2.errors.SerializationFailure as error:
                    outcome["error"] = error
                    cr.rollback()
                except Exception as error:  # noqa: BLE001 - reported by the test
                    outcome["unexpected"] = error
                    cr.rollback()

        thread = threading.Thread(target=run, name="care_credit_confirm_b")
        thread.start()
        return thread

    def _wait_for_lock(self, pid, timeout=20.0):
        """Whether the backend ``pid`` waits on a lock within ``timeout``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.registry.cursor() as cr:
                cr.execute(
                    "SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s",
                    [pid],
                )
                row = cr.fetchone()
            if row and row[0] == "Lock":
                return True
            time.sleep(0.1)
        return False

    def _assert_block(self, result):
        self.assertIsInstance(result, dict, "the check did not block")
        self.assertEqual(result["res_model"], "customer.care.credit.block")

    def _states(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            return env["sale.order"].browse(self.order_ids).mapped("state")

    @mute_logger("odoo.sql_db")
    def test_two_confirmations_together_over_the_limit(self):
        first_id, second_id = self.order_ids
        cr_a = self.registry.cursor()
        try:
            env_a = api.Environment(cr_a, SUPERUSER_ID, {})
            # A: the check passes, the order is confirmed, not yet committed
            self.assertIs(env_a["sale.order"].browse(first_id).action_confirm(), True)
            # B: the same check for the second order, at the same time
            outcome = {"started": threading.Event()}
            thread = self._confirm_in_thread(second_id, outcome)
            self.assertTrue(outcome["started"].wait(10))
            waited = self._wait_for_lock(outcome["pid"])
            cr_a.commit()
        finally:
            cr_a.close()
        thread.join(60)
        self.assertFalse(thread.is_alive(), "the second confirmation never ended")
        self.assertTrue(waited, "the second check did not wait for the first")
        self.assertNotIn("unexpected", outcome, outcome.get("unexpected"))
        if "error" not in outcome:
            # B saw A's order once A committed: blocked
            self.assertIsInstance(outcome["result"], dict)
            self.assertEqual(
                outcome["result"]["res_model"], "customer.care.credit.block"
            )
        self.assertEqual(self._states(), ["sale", "draft"])

        # Odoo retries a transaction that failed to serialize: the retry is
        # blocked, the first order being counted now
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            retry = env["sale.order"].browse(second_id).action_confirm()
            self._assert_block(retry)
            wizard = env["customer.care.credit.block"].browse(retry["res_id"])
            self.assertEqual(wizard.to_invoice, AMOUNT)
            self.assertEqual(wizard.exposure, 2 * AMOUNT)
            cr.rollback()
        self.assertEqual(self._states(), ["sale", "draft"])
