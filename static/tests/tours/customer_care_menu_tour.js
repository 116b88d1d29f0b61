/** @odoo-module **/
// Copyright 2026 customer_care contributors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {registry} from "@web/core/registry";

// A callback agent opens Customer Care from the home menu and reaches its
// callback customers.
registry.category("web_tour.tours").add("customer_care_menu_tour", {
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
            content: "The Callbacks menu is there",
            trigger: '.o_main_navbar [data-menu-xmlid="customer_care.menu_callback"]',
            run: "click",
        },
        {
            content: "Open the callback customers",
            trigger:
                '.dropdown-item[data-menu-xmlid="customer_care.menu_callback_customer"]',
            run: "click",
        },
        {
            content: "The customer list is shown",
            trigger:
                ".o_list_view .o_data_row:contains(海信电器), .o_list_view .o_view_nocontent, .o_list_view",
        },
    ],
});

// A user who reads Chinese sees the menus in Chinese.
registry.category("web_tour.tours").add("customer_care_menu_zh_tour", {
    url: "/odoo",
    steps: () => [
        {
            content: "Open the apps menu",
            trigger: ".o_navbar_apps_menu button",
            run: "click",
        },
        {
            content: "The app is called 客户服务 in the apps menu",
            trigger:
                '.o_app[data-menu-xmlid="customer_care.menu_root"]:contains(客户服务)',
            run: "click",
        },
        {
            content: "The feature menus are in Chinese",
            trigger:
                '.o_main_navbar [data-menu-xmlid="customer_care.menu_callback"]:contains(回访)',
        },
        {
            content: "Complaints in Chinese",
            trigger:
                '.o_main_navbar [data-menu-xmlid="customer_care.menu_complaint"]:contains(投诉)',
        },
    ],
});
