/** @odoo-module **/
// Copyright 2026 customer_care contributors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {registry} from "@web/core/registry";

const tours = registry.category("web_tour.tours");

function openApp() {
    return [
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
    ];
}

function openMenu(parent, xmlid) {
    return [
        {
            content: "Open the feature menu",
            trigger: `.o_main_navbar [data-menu-xmlid="customer_care.${parent}"]`,
            run: "click",
        },
        {
            content: `Open ${xmlid}`,
            trigger: `.dropdown-item[data-menu-xmlid="customer_care.${xmlid}"]`,
            run: "click",
        },
    ];
}

function tab(name) {
    return {
        content: `Open the tab ${name}`,
        trigger: `.o_notebook .nav-link[name="${name}"]`,
        run: "click",
    };
}

function openRow(text) {
    return {
        content: `Open ${text}`,
        trigger: `.o_list_view .o_data_row:contains(${text}) td[name="name"]`,
        run: "click",
    };
}

// The complaint officer (demo user 张伟, in Chinese) registers a complaint of
// a customer who reports a safety hazard: major; saved with the restatement
// only, it shows its deadlines with their times, the handover's within the
// next working half-hour.
tours.add("customer_care_complaint_officer_tour", {
    url: "/odoo",
    steps: () => [
        ...openApp(),
        ...openMenu("menu_complaint", "menu_complaint_ticket"),
        {
            content: "The complaints are listed, with their tiers",
            trigger: '.o_list_view .o_data_row td[name="care_tier"]',
        },
        {
            content: "New complaint",
            trigger: ".o_control_panel .o_list_button_add",
            run: "click",
        },
        {
            content: "Not saved yet: no number in the breadcrumb",
            trigger: ".o_breadcrumb:not(:contains(False)):not(:contains(/))",
        },
        {
            content: "Not saved yet: no handling buttons",
            trigger:
                '.o_form_view:not(:has(button[name="action_care_progress_reported"])) .o_form_sheet',
        },
        {
            content: "Title",
            trigger: '.o_field_widget[name="name"] input',
            run: "edit 燃气热水器安装后有漏气味",
        },
        {
            content: "Customer",
            trigger: '.o_field_widget[name="partner_id"] input',
            run: "edit 海信电器",
        },
        {
            content: "Pick the customer",
            trigger: ".o-autocomplete--dropdown-item a:contains(海信电器)",
            run: "click",
        },
        tab("care_complaint"),
        {
            content: "Category: product quality",
            trigger: '.o_field_widget[name="care_category"] select',
            run: 'select "product_quality"',
        },
        {
            content: "The complaint as confirmed with the customer",
            trigger: '.o_field_widget[name="care_restated"] textarea',
            run: "edit 客户反映新装燃气热水器有漏气味，担心安全，要求立即上门检查。",
        },
        tab("care_tier_page"),
        {
            content: "A safety hazard: a criterion of a major complaint",
            trigger: '.o_field_widget[name="care_crit_safety"] input',
            run: "click",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save:enabled",
            run: "click",
        },
        {
            content: "Saved, with its number",
            trigger: ".o_form_saved",
        },
        {
            content: "Major",
            trigger:
                '.o_field_widget[name="care_tier"] input[data-value="major"]:checked',
        },
        tab("care_deadlines"),
        {
            content: "The deadlines show the time, whole",
            trigger:
                '.o_field_widget[name="care_deadline_ids"] .o_data_row td[name="deadline"]',
            run() {
                const cells = document.querySelectorAll(
                    '.o_field_widget[name="care_deadline_ids"] .o_data_row td[name="deadline"]'
                );
                for (const cell of cells) {
                    if (!/\d{1,2}[:时]\d{2}/.test(cell.textContent)) {
                        throw new Error(
                            `No time in the deadline “${cell.textContent}”`
                        );
                    }
                    if (cell.scrollWidth > cell.clientWidth + 1) {
                        throw new Error(`The deadline “${cell.textContent}” is cut`);
                    }
                }
            },
        },
    ],
});

// The complaint manager (demo user 刘洋, in Chinese) approves the floor
// compensation asked by the officer, then lowers a complaint registered as
// major that the customer withdrew, giving the reason.
tours.add("customer_care_complaint_manager_tour", {
    url: "/odoo",
    steps: () => [
        ...openApp(),
        ...openMenu("menu_complaint", "menu_complaint_ticket"),
        openRow("空调维修后再次漏水"),
        {
            content: "Approve the compensation",
            trigger:
                '.o_statusbar_buttons button[name="action_care_approve_compensation"]',
            run: "click",
        },
        tab("care_compensation"),
        {
            content: "Approved, by her",
            trigger:
                '.o_field_widget[name="care_compensation_approved_by_id"]:contains(刘洋)',
        },
        {
            content: "Back to the complaints",
            trigger:
                ".o_breadcrumb .o_back_button a, .o_breadcrumb li.breadcrumb-item a",
            run: "click",
        },
        openRow("发票抬头开错"),
        tab("care_tier_page"),
        {
            content: "Lower it to general",
            trigger: '.o_field_widget[name="care_tier"] input[data-value="general"]',
            run: "click",
        },
        {
            content: "The reason",
            trigger: '.o_field_widget[name="care_tier_reason"] input',
            run: "edit 发票已重开，客户已撤回找领导的要求",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save:enabled",
            run: "click",
        },
        {
            content: "Saved as general",
            trigger:
                '.o_form_saved .o_field_widget[name="care_tier"] input[data-value="general"]:checked',
        },
    ],
});

// The general manager (demo user 孙建国, in Chinese) approves the preventive
// measure the complaint manager proposed.
tours.add("customer_care_gm_measure_tour", {
    url: "/odoo",
    steps: () => [
        ...openApp(),
        ...openMenu("menu_complaint", "menu_complaint_measure"),
        openRow("送货前一天电话预约"),
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
    ],
});
