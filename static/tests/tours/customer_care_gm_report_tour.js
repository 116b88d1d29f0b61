/** @odoo-module **/
// Copyright 2026 customer_care contributors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {registry} from "@web/core/registry";

const HANDLER = "customer_care_gm_report_tour";

// The general manager (zh_CN demo user sunjianguo) prints the monthly
// complaint analysis and callback summary of a chosen month, then the
// yearly satisfaction analysis of last year. The report
// actions are caught before the download: the tour fetches the HTML of
// each (the report the PDF is made of) and marks the page with its status.
registry.category("web_tour.tours").add("customer_care_gm_report_tour", {
    url: "/odoo",
    steps: () => [
        {
            content: "Catch the report actions",
            trigger: "body",
            run() {
                const handlers = registry.category("ir.actions.report handlers");
                if (handlers.contains(HANDLER)) {
                    return;
                }
                handlers.add(HANDLER, async (action) => {
                    if (!action.report_name.startsWith("customer_care.report_")) {
                        return false;
                    }
                    const ids = action.context.active_ids.join(",");
                    const options = encodeURIComponent(JSON.stringify(action.data));
                    const response = await fetch(
                        `/report/html/${action.report_name}/${ids}?options=${options}`
                    );
                    const html = await response.text();
                    const key = action.report_name.split(".")[1];
                    const period = String(action.data.month || action.data.year);
                    document.body.dataset[key] =
                        response.ok && html.includes(period.slice(0, 4))
                            ? "ok"
                            : "error";
                    document.body.dataset[`${key}Month`] =
                        action.data.month || action.data.year;
                    return true;
                });
            },
        },
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
            content: "The app opens on the measures to approve",
            trigger: ".o_control_panel .o_breadcrumb:contains(预防/纠正措施)",
        },
        {
            content: "Open the reporting menu",
            trigger: '.o_main_navbar [data-menu-xmlid="customer_care.menu_reporting"]',
            run: "click",
        },
        {
            content: "Print the monthly reports",
            trigger:
                '.dropdown-item[data-menu-xmlid="customer_care.menu_reporting_monthly"]',
            run: "click",
        },
        {
            content: "Choose March",
            trigger: ".modal .o_field_widget[name=month] select",
            run: 'select "3"',
        },
        {
            content: "Of 2026",
            trigger: ".modal .o_field_widget[name=year] input",
            run: "edit 2026",
        },
        {
            content: "Print the complaint analysis",
            trigger:
                ".modal .modal-footer button[name=action_print_complaint_analysis]",
            run: "click",
        },
        {
            content: "The complaint analysis of March is printed",
            trigger:
                'body[data-report_complaint_monthly_analysis="ok"][data-report_complaint_monthly_analysis-month="2026-03-01"]',
        },
        {
            content: "Print the callback summary",
            trigger: ".modal .modal-footer button[name=action_print_callback_summary]",
            run: "click",
        },
        {
            content: "The callback summary of March is printed",
            trigger:
                'body[data-report_callback_monthly_summary="ok"][data-report_callback_monthly_summary-month="2026-03-01"]',
        },
        {
            content: "Choose a year",
            trigger: ".modal .o_field_widget[name=period] input[data-value=year]",
            run: "click",
        },
        {
            content: "Last year",
            trigger: ".modal .o_field_widget[name=year] input",
            run: `edit ${new Date().getFullYear() - 1}`,
        },
        {
            content: "Print the satisfaction analysis",
            trigger:
                ".modal .modal-footer button[name=action_print_satisfaction_analysis]",
            run: "click",
        },
        {
            content: "The satisfaction analysis of last year is printed",
            trigger: `body[data-report_satisfaction_yearly_analysis="ok"][data-report_satisfaction_yearly_analysis-month="${
                new Date().getFullYear() - 1
            }"]`,
        },
        {
            content: "Close the dialog",
            trigger: ".modal .modal-footer button.btn-secondary",
            run() {
                registry.category("ir.actions.report handlers").remove(HANDLER);
                this.anchor.click();
            },
        },
        {
            content: "The dialog is closed",
            trigger: "body:not(:has(.modal))",
        },
    ],
});
