# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Customer Care",
    "summary": "Callback ledgers, complaint tiers, self-pickup notices and "
    "credit-limit control for Chinese distributors",
    "version": "18.0.1.0.0",
    "category": "Sales/Customer Care",
    "website": "https://github.com/customer-care/customer_care",
    "author": "customer_care contributors",
    "license": "AGPL-3",
    "application": True,
    "installable": True,
    "depends": [
        "sale_management",
        "sale_stock",
        "account",
        "helpdesk_mgmt",
        "sms",
        "portal",
    ],
    "data": [
        "security/customer_care_security.xml",
        "security/ir.model.access.csv",
        "data/customer_care_segment_data.xml",
        "views/customer_care_segment_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "reports/report_layout.xml",
        "views/menus.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "customer_care/static/tests/tours/*.js",
        ],
    },
    "demo": [
        "demo/customer_care_demo.xml",
    ],
}
