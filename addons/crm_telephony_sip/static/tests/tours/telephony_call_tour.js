import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("crm_telephony_sip_recording_player", {
    steps: () => [
        {
            content: "The call form shows a player for the recording",
            trigger:
                ".o_form_view .o_telephony_audio_player:has(audio[src^='/crm_telephony/recording/']) .o_telephony_audio_label",
        },
    ],
});

registry.category("web_tour.tours").add("crm_telephony_sip_deal_calls", {
    steps: () => [
        {
            content: "The deal shows its calls in a smart button",
            trigger: ".o_form_view .oe_stat_button:contains(Calls)",
            run: "click",
        },
        {
            content: "The call list of the deal shows its call",
            trigger: ".o_list_view .o_data_row:contains(+7 903 111-22-33)",
        },
    ],
});

registry.category("web_tour.tours").add("crm_telephony_sip_new_connection", {
    steps: () => [
        {
            content: "Press New on the PBX connections",
            trigger: ".o_control_panel button.o_list_button_add",
            run: "click",
        },
        {
            content: "Name the connection",
            trigger: ".o_form_view .o_field_widget[name=name] input",
            run: "edit Tour PBX",
        },
        {
            content: "Save it",
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            content: "The connection is saved and shows its endpoint",
            trigger: ".o_form_view .o_form_saved",
        },
    ],
});

registry.category("web_tour.tours").add("crm_telephony_sip_follow_up_again", {
    steps: () => [
        {
            content: "Take away the default filter: the call is a salesperson's",
            trigger: ".o_searchview_facet:contains(My calls) .o_facet_remove",
            run: "click",
        },
        {
            // (the test makes two calls: one row means the filter below has applied)
            content: "The call log lists every call",
            trigger: ".o_list_view .o_data_row ~ .o_data_row",
        },
        {
            content: "Open the search options of the call log",
            trigger: ".o_control_panel .o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            content: "Filter the calls whose follow-up is due",
            trigger: ".o_filter_menu .o_menu_item:contains(Follow-up due)",
            run: "click",
        },
        {
            content: "Only the call the job gave up on is listed: select it",
            trigger: ".o_list_view:not(:has(.o_data_row ~ .o_data_row)) .o_data_row:contains(Tour follow-up) .o_list_record_selector",
            run: "click",
        },
        {
            content: "Open the actions of the selection",
            trigger: ".o_control_panel .o_cp_action_menus button:contains(Actions)",
            run: "click",
        },
        {
            content: "Follow it up again",
            trigger: ".o-dropdown--menu .o_menu_item:contains(Follow up again)",
            run: "click",
        },
        {
            content: "A notification says it will be followed up",
            trigger: ".o_notification:contains(1 of the selected calls will be followed up again)",
        },
    ],
});
