from odoo import fields, models


class CrmTelephonyConnection(models.Model):
    """CDR settings of a connection (Asterisk / FreePBX, Grandstream UCM)."""

    _inherit = "crm.telephony.connection"

    cdr_usegmtime = fields.Boolean(
        "PBX writes UTC times",
        help="Asterisk/FreePBX: on when cdr.conf has usegmtime=yes in its [csv] section "
        "(the shipped cdr.conf.sample turns it on; Asterisk's default is off: local "
        "time, read in the connection's time zone).",
    )
