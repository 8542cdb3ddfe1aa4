import { registry } from "@web/core/registry";
import { _t } from "@web/core/l10n/translation";
import { standardFieldProps } from "@web/views/fields/standard_field_props";

import { Component } from "@odoo/owl";

/**
 * An audio player for the recording of a call, on its boolean "has recording" field.
 * The player asks /crm_telephony/recording/<call id>, which redirects to the stored
 * link or to one the PBX's API gives at that moment (links that expire).
 */
export class TelephonyAudioField extends Component {
    static template = "crm_telephony_sip.TelephonyAudioField";
    static props = { ...standardFieldProps };

    get hasRecording() {
        return Boolean(this.props.record.resId && this.props.record.data[this.props.name]);
    }

    get src() {
        return `/crm_telephony/recording/${this.props.record.resId}`;
    }
}

export const telephonyAudioField = {
    component: TelephonyAudioField,
    displayName: _t("Call recording player"),
    supportedTypes: ["boolean"],
};

registry.category("fields").add("telephony_audio", telephonyAudioField);
