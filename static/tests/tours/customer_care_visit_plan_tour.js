/** @odoo-module **/
// Copyright 2026 customer_care contributors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {registry} from "@web/core/registry";

// The general manager (demo user 孙建国, in Chinese) opens next year's
// key-account visit plan that the sales manager sent him, looks at its
// visits and approves it: each visit is then planned.
registry.category("web_tour.tours").add("customer_care_gm_visit_plan_tour", {
    url: "/odoo",
    steps: () => [
        {
            content: "Open the apps menu",
            trigger: ".o_navbar_apps_menu button",
            run: "click",
        },
        {
            content: "Open 客户服务",
            trigger: '.o_app[data-menu-xmlid="customer_care.menu_root"]',
            run: "click",
        },
        {
            content: "Open 回访",
            trigger: '.o_main_navbar [data-menu-xmlid="customer_care.menu_callback"]',
            run: "click",
        },
        {
            content: "Open 重点客户走访计划",
            trigger:
                '.dropdown-item[data-menu-xmlid="customer_care.menu_callback_visit_plan"]',
            run: "click",
        },
        {
            content: "Open the plan awaiting approval",
            trigger:
                '.o_list_view .o_data_row:contains(重点客户走访计划) td[name="name"]',
            run: "click",
        },
        {
            content: "Its visits: the key account twice, with its visitors",
            trigger:
                '.o_field_one2many[name="line_ids"] .o_data_row:contains(第二次走访)',
        },
        {
            content: "Approve it",
            trigger: '.o_statusbar_buttons button[name="action_approve"]',
            run: "click",
        },
        {
            content: "Approved",
            trigger:
                '.o_statusbar_status button.o_arrow_button_current[data-value="approved"]',
        },
        {
            content: "Each visit is planned",
            trigger:
                '.o_field_one2many[name="line_ids"] .o_data_row td[name="visit_state"]:contains(计划)',
        },
    ],
});
