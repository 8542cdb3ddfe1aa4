import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("crm_quality_review_revive", {
    url: "/odoo/action-crm_quality_review.crm_quality_review_action",
    steps: () => [
        {
            content: "Open the review of the lost deal from the queue",
            trigger: ".o_kanban_record:contains('Tour — lost desks')",
            run: "click",
        },
        {
            content: "Filling the survey already took the review",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains('In progress')",
        },
        {
            content: "The customer wants to buy: revive",
            trigger: ".o_field_widget[name='outcome'] select",
            run: `select "revive"`,
        },
        {
            content: "Choose who takes the revived deal",
            trigger: ".o_field_widget[name='revive_user_id'] input",
            run: "edit Tour Seller",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains('Tour Seller')",
            run: "click",
        },
        {
            content: "Close the review",
            trigger: "button[name='action_done']",
            run: "click",
        },
        {
            content: "Done, with the revived deal linked",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains('Done')",
        },
        {
            trigger: ".o_field_widget[name='revived_lead_id']:contains('Tour — lost desks')",
        },
    ],
});
