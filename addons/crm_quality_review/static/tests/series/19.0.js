import { registry } from "@web/core/registry";

// What the tours' steps need on Odoo 19.0 (added to web.assets_tests by series/19.0.xml):
// 19.0's runner fails a step that unloads the page unless the step expects it.
registry.category("crm_quality_review.tour_series").add("leave_page", { expectUnloadPage: true });
