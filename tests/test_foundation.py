from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestSmoke(TransactionCase):
    def test_installed(self):
        self.assertTrue(self.env.ref("customer_care.group_general_manager"))
