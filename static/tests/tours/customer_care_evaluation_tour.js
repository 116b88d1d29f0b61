/** @odoo-module **/
// Copyright 2026 customer_care contributors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {registry} from "@web/core/registry";

// The callback manager (demo user 李强, in Chinese) opens the evaluations
// to confirm, rates 王芳's quarter, comments on it and confirms it.
registry.category("web_tour.tours").add("customer_care_evaluation_tour", {
    url: "/odoo/action-customer_care.customer_care_evaluation_action",
    steps: () => [
        {
            content: "王芳's evaluation waits for him: open it",
            trigger: ".o_list_view .o_data_row:contains(王芳) td[name=user_id]",
            run: "click",
        },
        {
            content: "Rate the quarter",
            trigger: ".o_form_view div[name=rating] input",
            run: "edit 4",
        },
        {
            content: "Comment on it",
            trigger: ".o_form_view div[name=comment] textarea",
            run: "edit 回访及时，日清日结执行良好。",
        },
        {
            content: "Confirm",
            trigger: ".o_form_view button[name=action_confirm]",
            run: "click",
        },
        {
            content: "Confirmed: the button is gone, the rating is read-only",
            trigger:
                ".o_form_view .o_statusbar_status button.o_arrow_button_current[data-value=confirmed]",
        },
        {
            content: "The rating is read-only now",
            trigger: ".o_form_view div[name=rating]:not(:has(input))",
        },
    ],
});
