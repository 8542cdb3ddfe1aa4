import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("crm_telephony_sip_test_event", {
    steps: () => [
        {
            content: "The setup help of the connection's provider is shown",
            trigger: ".o_form_view .o_notebook div[name=setup_generic]:contains(Standard Webhooks)",
        },
        {
            content: "The full endpoint URL has a copy button",
            trigger:
                ".o_form_view .o_field_widget[name=endpoint_url]:contains(/crm_telephony/) .o_clipboard_button",
        },
        {
            content: "Send a test event",
            trigger: ".o_form_view .o_form_statusbar button[name=action_send_test_event]",
            run: "click",
        },
        {
            content: "The result is notified",
            trigger: ".o_notification:contains(The test event went through)",
        },
        {
            content: "The request is in the connection's journal",
            trigger: ".o_form_view .oe_stat_button:contains(Requests) .o_stat_value:contains(1)",
        },
    ],
});

registry.category("web_tour.tours").add("crm_telephony_sip_connection_salesman", {
    steps: () => [
        {
            content: "A salesperson sees the connection without its secrets or the test button",
            trigger:
                ".o_form_view:has(.o_field_widget[name=name]):not(:has(button[name=action_send_test_event])):not(:has(.o_field_widget[name=endpoint_url]))",
        },
    ],
});
