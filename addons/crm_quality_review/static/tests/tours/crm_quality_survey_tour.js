import { registry } from "@web/core/registry";

const question = (title) => `div.js_question-wrapper:contains("${title}")`;

// Started by the test on the reviewer's own answer of the call-back questionnaire.
registry.category("web_tour.tours").add("crm_quality_review_survey", {
    steps: () => [
        {
            content: "The questionnaire opens with the quality-service introduction",
            trigger: "body:contains(This is the quality service of our company)",
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
    ],
});
