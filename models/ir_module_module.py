# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models

# helpdesk_mgmt ships no Chinese: the stage and channel names complaint staff
# see every day, as translations (other languages keep theirs)
HELPDESK_NAMES_ZH_CN = {
    "helpdesk_mgmt.helpdesk_ticket_stage_new": "新建",
    "helpdesk_mgmt.helpdesk_ticket_stage_in_progress": "处理中",
    "helpdesk_mgmt.helpdesk_ticket_stage_awaiting": "等待中",
    "helpdesk_mgmt.helpdesk_ticket_stage_done": "已完成",
    "helpdesk_mgmt.helpdesk_ticket_stage_cancelled": "已取消",
    "helpdesk_mgmt.helpdesk_ticket_stage_rejected": "已拒绝",
    "helpdesk_mgmt.helpdesk_ticket_channel_web": "网上（门户）",
    "helpdesk_mgmt.helpdesk_ticket_channel_email": "电子邮件",
    "helpdesk_mgmt.helpdesk_ticket_channel_phone": "电话",
    "helpdesk_mgmt.helpdesk_ticket_channel_other": "其他",
}


class IrModuleModule(models.Model):
    _inherit = "ir.module.module"

    def _load_module_terms(
        self, modules, langs, overwrite=False, imported_module=False
    ):
        res = super()._load_module_terms(
            modules, langs, overwrite=overwrite, imported_module=imported_module
        )
        if "zh_CN" in langs and {"customer_care", "helpdesk_mgmt"} & set(modules):
            for xmlid, name in HELPDESK_NAMES_ZH_CN.items():
                record = self.env.ref(xmlid, raise_if_not_found=False)
                if record and (
                    overwrite
                    or record.with_context(lang="zh_CN").name
                    == record.with_context(lang="en_US").name
                ):
                    record.update_field_translations("name", {"zh_CN": name})
        return res
