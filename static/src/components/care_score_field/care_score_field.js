// Copyright 2026 customer_care contributors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {PriorityField, priorityField} from "@web/views/fields/priority/priority_field";
import {_t} from "@web/core/l10n/translation";
import {registry} from "@web/core/registry";

/**
 * A callback score: Odoo's priority stars, one star per value of the
 * selection ("1" to "5"), none lit when the score is empty (not asked).
 *
 * Odoo's own priority widget keeps the first value of the selection for "no
 * star" and writes it back when the lit star is clicked again: on a 1-5
 * selection it would show four stars and a score of 1 as no score. Here
 * every value is a star and clicking the lit star empties the score.
 */
export class CareScoreField extends PriorityField {
    static template = "customer_care.CareScoreField";

    /**
     * @param {String} value
     */
    onStarClicked(value) {
        if (this.props.record.data[this.props.name] === value) {
            this.state.index = -1;
            this.updateRecord(false);
        } else {
            this.updateRecord(value);
        }
    }
}

export const careScoreField = {
    ...priorityField,
    component: CareScoreField,
    displayName: _t("Score (stars)"),
};

registry.category("fields").add("care_score", careScoreField);
