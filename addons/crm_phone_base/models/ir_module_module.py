from odoo import api, models
from odoo.tools import convert_file

from ..tools.compat import SERIES


class IrModuleModule(models.Model):
    _inherit = "ir.module.module"

    @api.model
    def _crm_load_series_data(self, module, filename, noupdate=False, mode="update"):
        """Load ``filename`` of ``module`` with ``{series}`` replaced by the running
        series ("18.0", "19.0"): the data whose fields differ by series (see
        ``tools/compat.py``). Called by ``<function>`` from the addon's data files."""
        convert_file(
            self.env,
            module,
            filename.format(series=SERIES),
            {},
            mode=mode,
            noupdate=noupdate,
        )
        return True
