import { registry } from "@web/core/registry";

// Step keys that differ by Odoo series (static/tests/series/<series>.js).
const series = registry.category("crm_quality_review.tour_series");
const question = (title) => `div.js_question-wrapper:contains("${title}")`;

// Started by the test on the reviewer's own answer of the call-back questionnaire.
registry.category("web_tour.tours").add("crm_quality_review_survey", {
    steps: () => [
        {
            content: "The questionnaire opens with the quality-service introduction",
            trigger: "body:contains(This is the quality service of our company)",
        },
        {
            content: "The page names the deal and the lost reason the call-back asks about",
            trigger:
                ".o_quality_review_context:has(.o_quality_review_deal:contains(Tour — lost desks)):has(.o_quality_review_lost_reason:contains(Tour reason))",
        },
        {
            content: "Start",
            trigger: 'button.btn:contains("Start")',
            run: "click",
        },
        {
            trigger: `${question("How were you served by our salesperson")} label:contains("Good")`,
            run: "click",
        },
        {
            trigger: `${question("What did not suit you in our offer")} textarea`,
            run: "edit Delivery in six weeks was too long",
        },
        {
            trigger: `${question("Is the reason you declined the one we recorded")} label:contains("No, the real reason is different")`,
            run: "click",
        },
        {
            trigger: `${question("Do you still need the product")} label:contains("Yes, now")`,
            run: "click",
        },
        {
            content: "Submit the answers (19.0 asks to confirm: confirm)",
            trigger: 'button[value="finish"]',
            async run(helpers) {
                await helpers.click();
                for (let i = 0; i < 100 && !document.querySelector(".o_survey_finished"); i++) {
                    const confirm = document.querySelector(".modal .modal-footer .btn-primary");
                    if (confirm) {
                        confirm.click();
                        break;
                    }
                    await new Promise((resolve) => setTimeout(resolve, 100));
                }
            },
        },
        {
            content: "Answers recorded",
            trigger: ".o_survey_finished, body:contains(Thank you)",
        },
        {
            content: "Back to the review",
            trigger: ".o_survey_finished a.o_quality_review_back",
            run: "click",
            ...series.get("leave_page"),
        },
        {
            content: "The review opens, with the suggested outcome from the answers",
            trigger:
                ".o_form_view:has(.o_field_widget[name=lead_id]:contains(Tour — lost desks)) .o_field_widget[name=suggested_outcome]:contains(revive)",
        },
    ],
});
