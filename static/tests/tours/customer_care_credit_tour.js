/** @odoo-module **/
// Copyright 2026 customer_care contributors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {registry} from "@web/core/registry";

// An approver opens Customer Care: the app lands on the over-limit requests
// sent to her (the Requests to Approve menu, "Mine to Approve"), she opens
// the only one there and approves it. Selectors, not texts: the demo users
// read Chinese.
function approveTheRequestSentToMe() {
    return [
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
            content: "The Credit menu is the approver's",
            trigger: '.o_main_navbar [data-menu-xmlid="customer_care.menu_credit"]',
        },
        {
            content: "The app lands on the requests sent to me, filtered",
            trigger:
                ".o_list_view .o_searchview_facet, .o_control_panel .o_searchview_facet",
        },
        {
            content: "One request awaits my decision: open it",
            trigger: ".o_list_view .o_data_row:only-child .o_data_cell[name=name]",
            run: "click",
        },
        {
            content: "The request awaits the decision",
            trigger:
                '.o_form_view .o_statusbar_status button.o_arrow_button_current[data-value="requested"]',
        },
        {
            content: "Approve it",
            trigger: '.o_form_view .o_statusbar_buttons button[name="action_approve"]',
            run: "click",
        },
        {
            content: "It is approved",
            trigger:
                '.o_form_view .o_statusbar_status button.o_arrow_button_current[data-value="approved"]',
        },
        {
            content: "The collection is planned",
            trigger: '.o_form_view .o_notebook a[name="collection"]',
        },
    ];
}

// The regional manager (chenjing): a request under one third of the limit.
registry.category("web_tour.tours").add("customer_care_credit_regional_tour", {
    url: "/odoo",
    steps: approveTheRequestSentToMe,
});

// The credit manager (yanglei): a request above one third of the limit.
registry.category("web_tour.tours").add("customer_care_credit_manager_tour", {
    url: "/odoo",
    steps: approveTheRequestSentToMe,
});
