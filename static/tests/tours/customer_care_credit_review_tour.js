/** @odoo-module **/
// Copyright 2026 customer_care contributors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {registry} from "@web/core/registry";

// The credit manager (demo user 杨磊, in Chinese) opens the risk reviews left
// to decide (客户服务 › 授信 › 风险评估, filtered on 待决定), opens
// the open review of 国美电器华东区域公司, looks at the figures behind the
// proposal and accepts it: the rating applies at once and the review is
// done. Menus by their xml id, not by their texts: the demo users read
// Chinese.
registry.category("web_tour.tours").add("customer_care_credit_review_tour", {
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
            content: "Open 授信",
            trigger: '.o_main_navbar [data-menu-xmlid="customer_care.menu_credit"]',
            run: "click",
        },
        {
            content: "Open the risk reviews",
            trigger:
                '.dropdown-item[data-menu-xmlid="customer_care.menu_credit_review"]',
            run: "click",
        },
        {
            content: "The reviews left to decide",
            trigger: ".o_control_panel .o_searchview_facet",
        },
        {
            content: "Open the review of 国美电器华东区域公司",
            trigger:
                '.o_list_view .o_data_row:contains(国美电器华东区域公司) .o_data_cell[name="partner_id"]',
            run: "click",
        },
        {
            content: "The review is open",
            trigger:
                '.o_form_view .o_statusbar_status button.o_arrow_button_current[data-value="draft"]',
        },
        {
            content: "The figures behind the proposal",
            trigger: '.o_form_view .o_field_widget[name="score"]',
        },
        {
            content: "The proposed rating is decided unless changed",
            trigger: '.o_form_view .o_field_widget[name="proposed_rating_id"]',
        },
        {
            content: "Accept the proposal (接受: the manager reads Chinese)",
            trigger:
                '.o_form_view .o_statusbar_buttons button[name="action_accept"]:contains(接受)',
            run: "click",
        },
        {
            content: "The review is done",
            trigger:
                '.o_form_view .o_statusbar_status button.o_arrow_button_current[data-value="done"]',
        },
        {
            content: "Decided: the Accept button is gone",
            trigger:
                '.o_form_view .o_statusbar_buttons:not(:has(button[name="action_accept"]))',
        },
    ],
});
