/** @odoo-module **/
// Copyright 2026 customer_care contributors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {registry} from "@web/core/registry";

// A cell shows its whole text: nothing cut off ("2026年1…").
function assertWhole(selector) {
    return function () {
        for (const cell of document.querySelectorAll(selector)) {
            if (cell.scrollWidth > cell.clientWidth + 1) {
                throw new Error(
                    `The column cuts “${cell.textContent}” (${cell.scrollWidth}px in ${cell.clientWidth}px)`
                );
            }
        }
    };
}

// The callback agent's day (demo user 王芳, in Chinese): she opens the app on
// her callbacks due — the key account's of today and one left open
// yesterday — records the person she
// reached and the stars, reports back the issue resolved since the last
// callback and marks the callback done; done, its record is read-only.
registry.category("web_tour.tours").add("customer_care_agent_day_tour", {
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
            content: "Her callbacks due today: two filters, both applied (AND)",
            trigger:
                ".o_searchview_facet:nth-of-type(2) .o_facet_values:not(:contains(或))",
        },
        {
            content: "Hers of today and yesterday's left open, nothing done nor later",
            trigger:
                ".o_list_renderer:not(:has(.o_data_row:nth-child(3))) .o_data_row:contains(海信电器)",
        },
        {
            content: "The date is shown whole",
            trigger: '.o_data_row td[name="date"]',
            run: assertWhole('.o_data_row td[name="date"]'),
        },
        {
            content: "Open the callback",
            trigger: '.o_data_row:contains(海信电器) td[name="partner_id"]',
            run: "click",
        },
        {
            content: "Record the person reached",
            trigger: '.o_field_widget[name="contact_id"] input',
            run: "edit 张丽",
        },
        {
            content: "Pick 张丽",
            trigger: ".o-autocomplete--dropdown-item a:contains(张丽)",
            run: "click",
        },
        {
            content: "Four stars for on-time delivery",
            trigger:
                '.o_field_widget[name="score_delivery"] a.o_priority_star:nth-child(4)',
            run: "click",
        },
        {
            content: "Five stars overall",
            trigger:
                '.o_field_widget[name="score_overall"] a.o_priority_star:nth-child(5)',
            run: "click",
        },
        {
            content: "Open the Report Back tab",
            trigger: '.o_notebook .nav-link[name="feedback"]',
            run: "click",
        },
        {
            content: "Report back the resolved issue",
            trigger:
                '.o_field_widget[name="feedback_issue_ids"] .o_data_row:contains(送货时间与约定不符) button[name="action_feed_back"]',
            run: "click",
        },
        {
            content: "Reported: the issue has left the list",
            trigger:
                '.o_field_widget[name="feedback_issue_ids"]:not(:has(.o_data_row:contains(送货时间与约定不符)))',
        },
        {
            content: "Mark the callback done",
            trigger: '.o_form_view .o_statusbar_buttons button[name="action_done"]',
            run: "click",
        },
        {
            content: "Done",
            trigger:
                '.o_statusbar_status button.o_arrow_button_current[data-value="done"]',
        },
        {
            content: "Done, its record is read-only",
            trigger:
                '.o_form_view:not(:has(.o_field_widget[name="contact_id"] input)):not(:has(.o_field_widget[name="opinion"] textarea))',
        },
    ],
});
