"""The documents responsible of a deal see it through their own group now (the record
rule on crm.lead is only read for that group's users): give it to those already named."""

from odoo.tools import SQL


def migrate(cr, version):
    cr.execute(
        SQL(
            """INSERT INTO res_groups_users_rel (gid, uid)
               SELECT DISTINCT data.res_id, lead.document_user_id
                 FROM crm_lead lead
                 JOIN ir_model_data data
                   ON data.module = 'crm_regulation' AND data.name = 'group_document_user'
                WHERE lead.document_user_id IS NOT NULL
               ON CONFLICT DO NOTHING"""
        )
    )
