import { registry } from "@web/core/registry";

const tile = (name) => `.o_regulation_dashboard .o_kanban_record:contains('${name}')`;

registry.category("web_tour.tours").add("crm_regulation_dashboard", {
    steps: () => [
        {
            content: "The dashboard shows its tiles",
            trigger: `${tile("Fines this month")}:contains('records')`,
        },
        {
            content: "Open the rotting deals",
            trigger: `${tile("Rotting deals")}`,
            run: "click",
        },
        {
            content: "The rotting deal is listed",
            trigger: ".o_breadcrumb:contains('Rotting deals')",
        },
        {
            content: "…with its record",
            trigger: ".o_kanban_record:contains('Dashboard tour — stale'), .o_data_row:contains('Dashboard tour — stale')",
        },
    ],
});

registry.category("web_tour.tours").add("crm_regulation_violation_banner", {
    steps: () => [
        {
            content: "The deal says what breaks the regulation and how to clear it",
            trigger: ".o_regulation_violation_banner:contains('No note after the last call')",
        },
        {
            content: "The smart button counts the open violation",
            trigger: ".oe_stat_button:contains('Violations'):contains('1')",
            run: "click",
        },
        {
            content: "It opens the deal's violations",
            trigger: ".o_breadcrumb:contains('Violations')",
        },
    ],
});
