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
            // 18.0 shows a <select>, 19.0 a drop-down menu
            trigger: ".o_field_widget[name='outcome'] :is(select, .o_select_menu_toggler)",
            async run(helpers) {
                if (document.querySelector(".o_field_widget[name='outcome'] select")) {
                    await helpers.select('"revive"');
                    return;
                }
                await helpers.click();
                for (let i = 0; i < 100; i++) {
                    const item = [...document.querySelectorAll(".o_select_menu_item")].find(
                        (element) => element.textContent.includes("revive")
                    );
                    if (item) {
                        item.click();
                        return;
                    }
                    await new Promise((resolve) => setTimeout(resolve, 100));
                }
            },
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
