from odoo.tests import TransactionCase


class TestOdooLabelsRussian(TransactionCase):
    """The deal form's labels that come from Odoo's own modules read well in Russian."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("ru_RU")
        # Odoo's own translations first, as on a database whose Russian came before us.
        cls.odoo_modules = ["crm"]
        if cls.env["ir.module.module"]._get("crm_iap_enrich").state == "installed":
            cls.odoo_modules.append("crm_iap_enrich")
        cls.env["ir.module.module"]._load_module_terms(cls.odoo_modules, ["ru_RU"], overwrite=True)

    def form_arch(self):
        self.env.registry.clear_cache("templates")
        views = self.env["crm.lead"].with_context(lang="ru_RU").get_views([(False, "form")])
        return views["views"]["form"]["arch"]

    def test_odoo_translation_is_the_poor_one_before(self):
        arch = self.form_arch()
        self.assertNotIn('string="Выигрыш"', arch)
        # Odoo's own: "Вона" in 18.0, "Выиграно" in 19.0
        self.assertTrue('string="Вона"' in arch or 'string="Выиграно"' in arch)

    def test_won_and_enrich_read_well_after_our_overrides(self):
        self.env["res.lang"]._regulation_load_label_overrides()
        arch = self.form_arch()
        self.assertIn('string="Выигрыш"', arch)
        self.assertNotIn("Вона", arch)
        if "crm_iap_enrich" in self.odoo_modules:
            self.assertIn('string="Обогатить"', arch)
            self.assertNotIn("Обогащайте", arch)
