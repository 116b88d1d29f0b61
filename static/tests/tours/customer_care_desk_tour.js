/** @odoo-module **/
// Copyright 2026 customer_care contributors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {registry} from "@web/core/registry";

// The desk's day (zh_CN demo user zhaomin): the app opens on today's
// pickups; the desk opens the one of the customer at the counter and hands
// it over with the voucher code and the identity card. The test
// (tests/test_role_tours.py) plans one notified pickup today with the
// voucher code ABCD2345.
registry.category("web_tour.tours").add("customer_care_desk_tour", {
    url: "/odoo",
    steps: () => [
        {
            content: "Open the apps menu",
            trigger: ".o_navbar_apps_menu button",
            run: "click",
        },
        {
            content: "Open the Customer Care app",
            trigger: '.o_app[data-menu-xmlid="customer_care.menu_root"]',
            run: "click",
        },
        {
            content: "The app opens on today's pickups",
            trigger: ".o_control_panel .o_breadcrumb:contains(今日自提)",
        },
        {
            content: "Open today's pickup",
            trigger: ".o_kanban_view .o_kanban_record:not(.o_kanban_ghost)",
            run: "click",
        },
        {
            content: "The pickup is notified",
            trigger:
                '.o_statusbar_status .o_arrow_button_current[data-value="notified"]',
        },
        {
            content: "Open the handover",
            trigger: ".o_statusbar_buttons button[name=action_open_handover]",
            run: "click",
        },
        {
            content: "Type the voucher code the customer shows",
            trigger: ".modal .o_field_widget[name=code] input",
            run: "edit ABCD2345",
        },
        {
            content: "Name of the collector",
            trigger: ".modal .o_field_widget[name=collector_name] input",
            run: "edit 李四",
        },
        {
            content: "Identity card number",
            trigger: ".modal .o_field_widget[name=collector_id_number] input",
            run: "edit 310101198506120417",
        },
        {
            content: "The identity card was checked",
            trigger: ".modal .o_field_widget[name=id_checked] input",
            run: "check",
        },
        {
            content: "Validate the handover",
            trigger: ".modal .modal-footer button[name=action_hand_over]",
            run: "click",
        },
        {
            content: "The handover dialog is closed",
            trigger: "body:not(:has(.modal))",
        },
        {
            content: "The pickup is collected",
            trigger:
                '.o_statusbar_status .o_arrow_button_current[data-value="collected"]',
        },
    ],
});
