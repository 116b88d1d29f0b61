/** @odoo-module **/
// Copyright 2026 customer_care contributors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {formatDate, formatDateTime} from "@web/core/l10n/dates";
import {registry} from "@web/core/registry";
// the date fields are registered there (lists have their own): patched below
import "@web/views/fields/datetime/datetime_field";
import "@web/views/fields/datetime/list_datetime_field";

const {DateTime} = luxon;

// Odoo gives date columns a fixed width measured for "12/28/2026": in
// Chinese ("2026年12月28日") and other long formats the date is cut. The
// column is as wide as the longest date of the user's own format.
const LONGEST = DateTime.local(2026, 12, 28, 23, 58, 58);
const widths = {};

function measure(text) {
    // as wide as the text in a list cell, measured where the lists are
    const cell = document.createElement("span");
    cell.className = "o_data_cell";
    cell.style.cssText = "position: absolute; visibility: hidden; white-space: nowrap;";
    cell.textContent = text;
    const parent =
        [...document.querySelectorAll(".o_list_renderer")].find(
            (el) => el.offsetParent
        ) || document.body;
    parent.append(cell);
    const width = cell.getBoundingClientRect().width;
    cell.remove();
    // a little margin for the decorations and the font's rounding
    return Math.ceil(width) + 4;
}

function columnWidth(type, odooWidth) {
    if (!(type in widths)) {
        const text =
            type === "datetime" ? formatDateTime(LONGEST) : formatDate(LONGEST);
        const width = measure(text);
        if (width <= 4) {
            return odooWidth; // not displayed yet: measured next time
        }
        widths[type] = Math.max(odooWidth, width);
    }
    return widths[type];
}

const fields = registry.category("fields");
for (const [name, odooWidth] of [
    ["date", 80],
    ["datetime", 145],
    ["list.date", 80],
    ["list.datetime", 145],
]) {
    const field = fields.get(name);
    if (!field.listViewWidth) {
        field.listViewWidth = ({type}) =>
            columnWidth(type === "date" ? "date" : "datetime", odooWidth);
    }
}
