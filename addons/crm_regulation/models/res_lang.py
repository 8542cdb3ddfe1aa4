from odoo import api, models
from odoo.tools import file_path
from odoo.tools.translate import TranslationImporter


class ResLang(models.Model):
    _inherit = "res.lang"

    @api.model
    def _regulation_load_label_overrides(self):
        """Load crm_regulation/i18n_extra/<lang>.po over the translations of Odoo's own
        modules (the deal form's "Won", "Enrich") for every active language.

        Installing a language loads every module's files in module order, ours after
        crm's; this also applies them on a database where the language came first (run
        on each install and update of crm_regulation). Terms of a module that is not
        installed are skipped."""
        importer = TranslationImporter(self.env.cr, verbose=False)
        loaded = False
        for lang in self.get_installed():
            code = lang[0]
            for name in (code.split("_")[0], code):
                try:
                    path = file_path(f"crm_regulation/i18n_extra/{name}.po")
                except FileNotFoundError:
                    continue
                importer.load_file(path, code)
                loaded = True
        if loaded:
            importer.save(overwrite=True)
            self.env.registry.clear_cache("templates")  # views are cached per language
