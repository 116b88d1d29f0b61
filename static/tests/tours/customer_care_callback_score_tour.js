/** @odoo-module **/
// Copyright 2026 customer_care contributors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {registry} from "@web/core/registry";

const OVERALL = '.o_field_widget[name="score_overall"]';
const AVERAGE = '.o_field_widget[name="score_average"]';

function lit(stars) {
    // the first `stars` stars lit, the next one not
    return `${OVERALL} .o_priority:has(a:nth-child(${stars}).fa-star):has(a:nth-child(${
        stars + 1
    }).fa-star-o)`;
}

// An agent scores a callback with the stars: five stars, none lit while the
// score is empty; clicking the lit star again empties it. Each click is
// checked on the average the server computes from it.
registry.category("web_tour.tours").add("customer_care_callback_score_tour", {
    steps: () => [
        {
            content: "The overall score has five stars, none lit: not asked yet",
            trigger: `${OVERALL} .o_priority:not(:has(.fa-star)):has(a.o_priority_star:nth-child(5))`,
        },
        {
            content: "Give four stars",
            trigger: `${OVERALL} a.o_priority_star:nth-child(4)`,
            run: "click",
        },
        {
            content: "The score is 4",
            trigger: `${AVERAGE}:contains(4.00)`,
        },
        {
            content: "Four stars are lit",
            trigger: lit(4),
        },
        {
            content: "Click the fourth star again: the score is empty",
            trigger: `${OVERALL} a.o_priority_star:nth-child(4)`,
            run: "click",
        },
        {
            content: "No score is left",
            trigger: `${AVERAGE}:contains(0.00)`,
        },
        {
            content: "No star is lit",
            trigger: `${OVERALL} .o_priority:not(:has(.fa-star))`,
        },
        {
            content: "Give one star (the first star is a score too)",
            trigger: `${OVERALL} a.o_priority_star:nth-child(1)`,
            run: "click",
        },
        {
            content: "The score is 1",
            trigger: `${AVERAGE}:contains(1.00)`,
        },
        {
            content: "One star is lit",
            trigger: lit(1),
        },
        {
            content: "Then three stars",
            trigger: `${OVERALL} a.o_priority_star:nth-child(3)`,
            run: "click",
        },
        {
            content: "The score is 3",
            trigger: `${AVERAGE}:contains(3.00)`,
        },
        {
            content: "Save",
            trigger: ".o_form_button_save:enabled",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_form_saved",
        },
    ],
});
