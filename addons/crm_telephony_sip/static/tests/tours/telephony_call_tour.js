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
