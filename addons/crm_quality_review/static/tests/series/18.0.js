import { registry } from "@web/core/registry";

// What the tours' steps need on Odoo 18.0 (added to web.assets_tests by series/18.0.xml):
// a step that leaves the page needs nothing more (18.0's runner refuses unknown keys).
registry.category("crm_quality_review.tour_series").add("leave_page", {});
