/** @odoo-module **/
// Copyright 2026 customer_care contributors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {registry} from "@web/core/registry";

function openMenu(xmlid) {
    return [
        {
            content: "Open the Callbacks menu",
            trigger: '.o_main_navbar [data-menu-xmlid="customer_care.menu_callback"]',
            run: "click",
        },
        {
            content: `Open ${xmlid}`,
            trigger: `.dropdown-item[data-menu-xmlid="customer_care.${xmlid}"]`,
            run: "click",
        },
    ];
}

// The callback manager's day (demo user 李强, in Chinese): he lands on the
// callbacks left open at the end of their day, by agent, then follows up
// the issue escalated to him: writes what was done and marks it resolved,
// to be reported back at the customer's next callback.
registry.category("web_tour.tours").add("customer_care_callback_manager_tour", {
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
            content: "He lands on his own work: the overdue callbacks (逾期回访)",
            trigger: ".o_breadcrumb:contains(逾期回访)",
        },
        {
            content: "Grouped by agent: open 王芳's group",
            trigger: ".o_list_view .o_group_header:not(.o_group_open):contains(王芳)",
            run: "click",
        },
        {
            content: "Yesterday's callback of 杭州百大 is there",
            trigger: ".o_list_view .o_data_row:contains(杭州百大)",
        },
        ...openMenu("menu_callback_issue"),
        {
            content: "Open the escalated issue",
            trigger: '.o_list_view .o_data_row:contains(回单返回慢) td[name="name"]',
            run: "click",
        },
        {
            content: "It was escalated",
            trigger: '.o_field_widget[name="escalated"] input:checked',
        },
        {
            content: "Write what was done",
            trigger: '.o_field_widget[name="result"] textarea',
            run: "edit 已要求物流部三天内返回回单，并每周核对。",
        },
        {
            content: "Mark it resolved",
            trigger: '.o_statusbar_buttons button[name="action_resolve"]',
            run: "click",
        },
        {
            content: "Resolved",
            trigger:
                '.o_statusbar_status button.o_arrow_button_current[data-value="resolved"]',
        },
    ],
});
