from odoo.tests import tagged

from .common import CaptureHttpCase

SNIPPET_TEST = """
const script = document.createElement("script");
script.src = "/crm_utm_capture/static/src/js/crm_utm_capture.js";
script.dataset.captureUrl = "%(capture_url)s";
script.dataset.cookieDays = "30";
script.onload = () => {
    const form = document.createElement("form");
    form.innerHTML = '<input name="name" value="Browser Visitor"/>'
        + '<input name="email" value="browser@example.com"/>';
    document.body.appendChild(form);
    window.crmUtmCapture.attach(form);
    if (!document.cookie.includes("crm_utm_utm_term=buy%%20crm")) {
        console.error("the UTM tags of the landing URL were not kept in a cookie");
        return;
    }
    form.addEventListener("crm-capture:done", (event) => {
        if (event.detail.status === 201) {
            console.log("test successful");
        } else {
            console.error("capture answered " + event.detail.status);
        }
    });
    form.requestSubmit();
};
document.head.appendChild(script);
"""


@tagged("post_install", "-at_install")
class TestCaptureSnippet(CaptureHttpCase):
    def test_snippet_sends_the_landing_utm_tags_with_the_form(self):
        self.site.write({"allowed_origins": self.base_url(), "min_submit_seconds": 0})
        # The snippet posts without cookies, as from another site: 19.0's test server
        # takes such requests only when told to (18.0 has no such check).
        self.http_request_allow_all = True
        self.browser_js(
            # a plain page without Odoo's own JavaScript, like any website
            "/crm_utm_capture/static/description/index.html"
            "?utm_source=google&utm_medium=cpc&utm_term=buy%20crm&gclid=G-42",
            SNIPPET_TEST % {"capture_url": self.capture_url()},
            timeout=60,
        )
        lead = self.Lead.search([("email_from", "=", "browser@example.com")])
        self.assertEqual(lead.source_id.name.lower(), "google")
        self.assertEqual(lead.utm_term, "buy crm")
        self.assertEqual(lead.touchpoint_ids.gclid, "G-42")
        self.assertIn("/static/description/index.html", lead.touchpoint_ids.landing_url)
