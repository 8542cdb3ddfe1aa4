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
