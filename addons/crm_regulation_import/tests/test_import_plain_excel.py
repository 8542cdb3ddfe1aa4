import base64

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import DATA, ImportCase


@tagged("post_install", "-at_install")
class TestImportPlainExcel(ImportCase):
    def upload(self):
        job = (
            self.env["crm.regulation.import.job"]
            .with_user(self.importer)
            .create(
                {
                    "file": base64.b64encode((DATA / "plain_excel.xlsx").read_bytes()),
                    "file_name": "plain_excel.xlsx",
                    "team_id": self.team.id,
                }
            )
        )
        job.action_detect()
        return job

    def test_detected_columns_and_unknown_stage_rejected(self):
        job = self.upload()
        self.assertEqual(job.preset, "excel")
        self.assertEqual(job.detected_header_row, 3)
        targets = {line.header: line.target for line in job.column_ids}
        self.assertEqual(targets["Бюджет, ₽"], "amount")
        self.assertEqual(targets["Телефон 2"], "phone")
        self.assertIn("Думает", job.stage_map_ids.mapped("source_name"))
        self.assertFalse(job.stage_map_ids.filtered(lambda m: m.source_name == "Думает").stage_id)
        job.action_dry_run()
        self.assertEqual((job.created_count, job.rejected_count), (2, 1))
        self.assertFalse(job.lead_ids)
        self.assertIn("unknown stage 'Думает'", job.log)

    def test_preview_says_what_each_row_becomes(self):
        job = self.upload()
        job.action_preview()
        self.assertIn("Окна на дачу", job.preview)
        self.assertIn("+79127000001", job.preview)
        self.assertIn("rejected: unknown stage", job.preview)

    def test_mapping_a_stage_by_hand_imports_every_row(self):
        job = self.upload()
        job.stage_map_ids.filtered(lambda m: m.source_name == "Думает").stage_id = self.stage[
            "proposal_sent"
        ]
        job.action_import()
        self.assertEqual(job.state, "done")
        self.assertEqual((job.created_count, job.rejected_count), (3, 0), job.log)
        deal = job.lead_ids.filtered(lambda d: d.name == "Окна на дачу")
        self.assertEqual(deal.stage_id, self.stage["qualified"])
        self.assertEqual(deal.user_id, self.anna)
        self.assertEqual((deal.phone, self.second_phone(deal)), ("+79127000001", "+79127000002"))
        self.assertEqual(
            job.lead_ids.filtered(lambda d: d.name == "Двери в офис").expected_revenue, 85000.5
        )
        self.assert_no_violation_after_the_import(job.lead_ids)

    def test_contacts_only_mode_creates_no_deal(self):
        job = self.upload()
        job.mode = "contacts"
        job.action_import()
        self.assertFalse(job.lead_ids)
        self.assertEqual(job.created_count, 4)  # three people and one company
        self.assertTrue(self.env["res.partner"].search([("phone_sanitized", "=", "+79127000004")]))

    def test_a_big_file_is_imported_by_the_cron_in_batches(self):
        job = self.upload()
        job.stage_map_ids.filtered(lambda m: m.source_name == "Думает").is_lost = True
        job.state = "running"
        self.env["crm.regulation.import.job"]._cron_run_jobs(commit=False)
        self.assertEqual(job.state, "done")
        self.assertEqual((job.rows_done, job.progress), (3, 100.0))
        self.assertEqual(len(job.with_context(active_test=False).lead_ids), 3)

    def test_salespeople_cannot_import(self):
        jobs = self.env["crm.regulation.import.job"].with_user(self.salesman)
        with self.assertRaises(AccessError):
            jobs.create({"file": base64.b64encode(b"a;b"), "file_name": "x.csv"})
        with self.assertRaises(AccessError):
            jobs.import_file("x.csv", base64.b64encode(b"a;b").decode(), {})
