# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models
from odoo.tools import file_open
from odoo.tools.translate import TranslationFileReader, TranslationImporter

# helpdesk_mgmt ships no Chinese: its terms that complaint staff see every day
# (field labels, selections, views, menus, stages, channels, subtypes), as
# translations loaded with the module's own (other languages keep theirs)
HELPDESK_PO_ZH_CN = "customer_care/i18n_extra/helpdesk_mgmt.zh_CN.po"


class IrModuleModule(models.Model):
    _inherit = "ir.module.module"

    def _load_module_terms(
        self, modules, langs, overwrite=False, imported_module=False
    ):
        res = super()._load_module_terms(
            modules, langs, overwrite=overwrite, imported_module=imported_module
        )
        if "zh_CN" in langs and {"customer_care", "helpdesk_mgmt"} & set(modules):
            self._load_helpdesk_terms_zh_cn(overwrite)
        return res

    def _load_helpdesk_terms_zh_cn(self, overwrite):
        """Load the helpdesk_mgmt terms whose English source is still the one
        translated: a label or name changed since (by this add-on or a user)
        keeps its own translation."""
        with file_open(HELPDESK_PO_ZH_CN, "rb") as po:
            rows = list(TranslationFileReader(po, fileformat="po"))
        xmlids = set()
        for row in rows:
            if row.get("type") not in ("model", "model_terms") or not row["value"]:
                continue
            xmlid = f"{row['module']}.{row['imd_name']}"
            if row["type"] == "model":
                record = self.env.ref(xmlid, raise_if_not_found=False)
                field = row["name"].split(",")[1]
                if (
                    not record
                    or field not in record._fields
                    or record.with_context(lang="en_US")[field] != row["src"]
                ):
                    continue
            xmlids.add(xmlid)
        if not xmlids:
            return
        importer = TranslationImporter(self.env.cr, verbose=False)
        importer.load_file(HELPDESK_PO_ZH_CN, "zh_CN", xmlids=xmlids)
        importer.save(overwrite=overwrite)
