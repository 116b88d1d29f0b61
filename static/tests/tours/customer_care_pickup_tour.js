/** @odoo-module **/
// Copyright 2026 customer_care contributors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {registry} from "@web/core/registry";

// The desk hands a notified pickup over: a wrong voucher code is refused
// with a message, then the right code and a checked identity validate the
// delivery. The test (tests/test_pickup_portal.py) opens the pickup's form
// and gives its voucher the code ABCD2345.
registry.category("web_tour.tours").add("customer_care_pickup_tour", {
    steps: () => [
        {
            content: "The pickup is notified",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains(Notified)",
        },
        {
            content: "Open the handover",
            trigger: ".o_statusbar_buttons button[name=action_open_handover]",
            run: "click",
        },
        {
            content: "Type a wrong voucher code",
            trigger: ".modal .o_field_widget[name=code] input",
            run: "edit WRONG234",
        },
        {
            content: "Validate the handover",
            trigger: ".modal .modal-footer button[name=action_hand_over]",
            run: "click",
        },
        {
            content: "The wrong code is refused with a message",
            trigger: ".modal .alert-danger:contains(Wrong voucher code)",
        },
        {
            content: "Type the code of the voucher",
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
            trigger: ".o_statusbar_status .o_arrow_button_current:contains(Collected)",
        },
    ],
});
