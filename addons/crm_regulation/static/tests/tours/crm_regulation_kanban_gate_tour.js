import { registry } from "@web/core/registry";

const column = (title) => `.o_kanban_group:has(.o_column_title:contains('${title}'))`;
// By its title: 19.0's kanban does not keep the pipeline's columns at fixed positions.
const QUALIFIED_COLUMN = `.o_opportunity_kanban ${column("Qualified")}`;

registry.category("web_tour.tours").add("crm_regulation_kanban_gate", {
    url: "/odoo/crm",
    steps: () => [
        {
            content: "Drag a deal without budget to Qualified",
            trigger: `${column("Taken into work")} .o_kanban_record:contains('Tour — no budget')`,
            run: `drag_and_drop (${QUALIFIED_COLUMN})`,
        },
        {
            content: "The server refuses the move and names what is missing",
            trigger: ".modal:contains(Cannot move 'Tour — no budget' to Qualified):contains(fill in the budget)",
        },
        {
            content: "Close the error",
            trigger: ".modal .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "The deal stays in its stage",
            trigger: `${column("Taken into work")} .o_kanban_record:contains('Tour — no budget')`,
        },
        {
            content: "Drag a deal with a budget to Qualified",
            trigger: `${column("Taken into work")} .o_kanban_record:contains('Tour — with budget')`,
            run: `drag_and_drop (${QUALIFIED_COLUMN})`,
        },
        {
            content: "It moves",
            trigger: `${column("Qualified")} .o_kanban_record:contains('Tour — with budget')`,
        },
    ],
});
