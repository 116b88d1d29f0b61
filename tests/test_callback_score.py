# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The scores of a callback are 1 to 5 stars and empty when not asked
(issue 12): a score outside 1-5 is refused, a 0 does not erase a score, the
averages are over the scores given, and the migration keeps the stars."""

import importlib.util
import xmlrpc.client
from pathlib import Path

from odoo.exceptions import ValidationError
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged
from odoo.tools import SQL, mute_logger

from .common import WarmUpMixin, ensure_lang, recorded
from .test_callback import CallbackCase

MIGRATION = (
    Path(__file__).resolve().parent.parent
    / "migrations"
    / "18.0.1.1.0"
    / "pre-migration.py"
)


def load_migration():
    spec = importlib.util.spec_from_file_location(
        "customer_care_pre_migration_18_0_1_1_0", MIGRATION
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@tagged("post_install", "-at_install")
class TestCallbackScore(CallbackCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._customer("联华超市", "ordinary")

    def _callback(self, **values):
        return self.Callback.create({"partner_id": self.customer.id, **values})

    def test_a_score_is_one_of_five_stars(self):
        field = self.Callback._fields["score_overall"]
        self.assertEqual(field.type, "selection")
        self.assertEqual(
            [key for key, _label in field.selection], ["1", "2", "3", "4", "5"]
        )

    def test_empty_scores_are_left_out_of_the_average(self):
        callback = self._callback(score_delivery="5", score_overall="3")
        self.assertFalse(callback.score_shipping)
        self.assertEqual(callback.score_average, 4.0)
        self.assertEqual(callback.satisfaction, 3.0)
        callback.score_delivery = False
        self.assertEqual(callback.score_average, 3.0)
        callback.score_overall = False
        self.assertEqual(callback.score_average, 0.0)
        self.assertEqual(callback.satisfaction, 0.0)

    def test_a_zero_does_not_erase_a_score(self):
        callback = self._callback(score_overall="4")
        for value in (0, "0", 6, "6"):
            with self.subTest(value=value), self.assertRaises(ValidationError) as error:
                callback.write({"score_overall": value})
            self.assertIn("Overall Satisfaction", str(error.exception))
            self.assertIn("from 1 (very poor) to 5", str(error.exception))
            callback.invalidate_recordset()
            self.assertEqual(callback.score_overall, "4")
        # emptied on purpose: not asked after all
        callback.write({"score_overall": False})
        self.assertFalse(callback.score_overall)

    def test_the_numbers_of_integer_clients_are_the_same_stars(self):
        callback = self._callback(score_overall=4, score_delivery=1)
        self.assertEqual(callback.score_overall, "4")
        self.assertEqual(callback.score_delivery, "1")
        self.assertEqual(callback.score_average, 2.5)

    def test_aggregates_average_the_scores_given_only(self):
        scored = self._callback(score_overall="4", score_delivery="2")
        self._callback()  # not scored: an empty score, a 0 average
        recorded(scored | self._callback(score_overall="5")).action_done()
        [[average, overall, satisfaction, count]] = self.Callback._read_group(
            [("partner_id", "=", self.customer.id)],
            aggregates=[
                "score_average:avg",
                "score_overall:avg",
                "satisfaction:avg",
                "__count",
            ],
        )
        self.assertEqual(count, 3)
        self.assertAlmostEqual(float(average), 4.0)  # (3 + 5) / 2
        self.assertAlmostEqual(float(overall), 4.5)
        self.assertAlmostEqual(float(satisfaction), 4.5)
        self.customer.invalidate_recordset(["care_satisfaction"])
        self.assertEqual(self.customer.care_satisfaction, 4.5)


@tagged("post_install", "-at_install")
class TestScoreMigration(TransactionCase):
    """The helpers of ``migrations/18.0.1.1.0/pre-migration.py`` on a
    temporary table with the old integer columns."""

    def setUp(self):
        super().setUp()
        self.migration = load_migration()
        self.cr = self.env.cr
        self.cr.execute(
            """
            CREATE TEMPORARY TABLE care_score_migration (
                id integer PRIMARY KEY,
                score_delivery integer,
                score_overall integer,
                score_average numeric
            )
            """
        )
        # (id, delivery, overall): a stored 4 and 5, 0 = not asked, 6 and -1
        # that only SQL could write
        self.cr.execute(
            """
            INSERT INTO care_score_migration (id, score_delivery, score_overall,
                                              score_average)
            VALUES (1, 0, 4, 4), (2, 0, 0, 0), (3, 2, 6, 4), (4, NULL, 5, 5),
                   (5, 3, -1, 1), (6, 1, 5, 3)
            """
        )

    def _rows(self, *columns):
        self.cr.execute(
            SQL(
                "SELECT %s FROM care_score_migration ORDER BY id",
                SQL(", ").join(SQL.identifier(c) for c in ("id", *columns)),
            )
        )
        return self.cr.fetchall()

    def test_zero_becomes_empty_and_the_stars_are_kept(self):
        columns = ("score_delivery", "score_overall")
        converted = self.migration.scores_to_selection(
            self.cr, "care_score_migration", columns
        )
        self.assertEqual(converted, list(columns))
        self.assertEqual(
            self._rows(*columns),
            [
                (1, None, "4"),
                (2, None, None),
                (3, "2", None),
                (4, None, "5"),
                (5, "3", None),
                (6, "1", "5"),
            ],
        )
        # run again (or on a database already converted): nothing changes
        self.assertEqual(
            self.migration.scores_to_selection(
                self.cr, "care_score_migration", columns
            ),
            [],
        )

    def test_the_figures_are_computed_from_the_stars_kept(self):
        columns = ("score_delivery", "score_overall")
        self.migration.scores_to_selection(self.cr, "care_score_migration", columns)
        self.migration.fill_score_figures(self.cr, "care_score_migration", columns)
        rows = [
            (id_, float(average), float(satisfaction))
            for id_, average, satisfaction in self._rows(
                "score_average", "satisfaction"
            )
        ]
        self.assertEqual(
            rows,
            [
                (1, 4.0, 4.0),
                (2, 0.0, 0.0),
                (3, 2.0, 0.0),
                (4, 5.0, 5.0),
                (5, 3.0, 0.0),
                (6, 3.0, 5.0),
            ],
        )

    def test_the_chatter_history_keeps_the_stars(self):
        Callback = self.env["customer.care.callback"]
        partner = self.env["res.partner"].create({"name": "苏州恒达商贸"})
        message = Callback.create({"partner_id": partner.id}).message_post(body="x")
        Field = self.env["ir.model.fields"]
        overall = Field._get("customer.care.callback", "score_overall")
        agent = Field._get("customer.care.callback", "user_id")
        # as the integer scores were tracked: 4 → 0 (emptied), 0 → 5
        emptied, given, other = self.env["mail.tracking.value"].create(
            [
                {
                    "mail_message_id": message.id,
                    "field_id": overall.id,
                    "old_value_integer": 4,
                    "new_value_integer": 0,
                },
                {
                    "mail_message_id": message.id,
                    "field_id": overall.id,
                    "old_value_integer": 0,
                    "new_value_integer": 5,
                },
                {
                    "mail_message_id": message.id,
                    "field_id": agent.id,
                    "old_value_integer": 2,
                    "new_value_integer": 6,
                },
            ]
        )
        self.migration.scores_tracking_to_selection(
            self.cr, "customer.care.callback", self.migration.SCORE_COLUMNS
        )
        self.env.invalidate_all()
        self.assertEqual((emptied.old_value_char, emptied.new_value_char), ("Good", ""))
        self.assertEqual(
            (given.old_value_char, given.new_value_char), ("", "Excellent")
        )
        self.assertFalse(given.new_value_integer)
        self.assertEqual((other.old_value_integer, other.new_value_integer), (2, 6))

    def test_the_migration_covers_every_score(self):
        self.assertEqual(
            set(self.migration.SCORE_COLUMNS),
            {
                name
                for name, field in self.env["customer.care.callback"]._fields.items()
                if name.startswith("score_") and field.type == "selection"
            },
        )


@tagged("post_install", "-at_install")
class TestCallbackScoreApi(WarmUpMixin, HttpCase):
    """A client writing a score over XML-RPC, as the callback agent."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("en_US")
        cls.agent = new_test_user(
            cls.env,
            login="care_score_agent",
            groups="customer_care.group_callback_agent",
            lang="en_US",
        )
        customer = cls.env["res.partner"].create(
            {"name": "常州永泰建材行", "is_company": True}
        )
        cls.callback = cls.env["customer.care.callback"].create(
            {
                "partner_id": customer.id,
                "user_id": cls.agent.id,
                "score_overall": "4",
            }
        )

    def _write(self, vals):
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname,
            self.agent.id,
            self.agent.login,
            "customer.care.callback",
            "write",
            [self.callback.ids, vals],
        )

    def test_a_score_outside_one_to_five_is_refused_with_a_clear_message(self):
        for value in (0, "0", 6, "6"):
            with self.subTest(value=value):
                with (
                    mute_logger("odoo.http"),
                    self.assertRaises(xmlrpc.client.Fault) as fault,
                ):
                    self._write({"score_overall": value})
                self.assertIn(
                    "Overall Satisfaction must be a score from 1 (very poor) to 5 "
                    "(excellent)",
                    fault.exception.faultString,
                )
                self.callback.invalidate_recordset()
                self.assertEqual(self.callback.score_overall, "4")
        self.assertTrue(self._write({"score_overall": "2"}))
        self.callback.invalidate_recordset()
        self.assertEqual(self.callback.score_overall, "2")


@tagged("post_install", "-at_install")
class TestCallbackScoreInTheBrowser(WarmUpMixin, HttpCase):
    """An agent who reads Chinese scores a callback with the stars."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ensure_lang(cls.env, "zh_CN")
        cls.agent = new_test_user(
            cls.env,
            login="care_score_tour",
            groups="customer_care.group_callback_agent",
            name="王芳 (stars)",
            lang="zh_CN",
        )
        customer = cls.env["res.partner"].create(
            {"name": "无锡宏达五金店", "is_company": True}
        )
        cls.callback = cls.env["customer.care.callback"].create(
            {"partner_id": customer.id, "user_id": cls.agent.id}
        )

    def test_the_agent_gives_stars(self):
        action = self.env.ref("customer_care.customer_care_callback_action")
        self.start_tour(
            f"/odoo/action-{action.id}/{self.callback.id}",
            "customer_care_callback_score_tour",
            login="care_score_tour",
        )
        self.callback.invalidate_recordset()
        self.assertEqual(self.callback.score_overall, "3")
        self.assertEqual(self.callback.score_average, 3.0)
