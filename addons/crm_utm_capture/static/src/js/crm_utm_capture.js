/*
 * crm_utm_capture: keeps the UTM tags and click ids of the landing URL in first-party
 * cookies and adds them to the forms it is attached to, so that the lead created by
 * POST /crm/capture/<site key> knows where the visitor came from.
 *
 *   <script src="https://ODOO/crm_utm_capture/static/src/js/crm_utm_capture.js"
 *           data-capture-url="https://ODOO/crm/capture/SITE_KEY"
 *           data-cookie-days="90" data-forms="form[data-crm-capture]" defer></script>
 *
 * Plain JavaScript for any website: no dependency, no build step.
 */
(function () {
    "use strict";

    var KEYS = ["utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content",
        "gclid", "yclid", "fbclid"];
    var PREFIX = "crm_utm_";
    var script = document.currentScript || {dataset: {}};
    var config = {
        captureUrl: script.dataset.captureUrl || "",
        cookieDays: parseInt(script.dataset.cookieDays || "90", 10),
        forms: script.dataset.forms || "form[data-crm-capture]",
        honeypot: script.dataset.honeypot === undefined ? "website" : script.dataset.honeypot,
    };
    var loadedAt = Date.now();

    function setCookie(name, value, days) {
        var expires = new Date(Date.now() + days * 864e5).toUTCString();
        document.cookie = PREFIX + name + "=" + encodeURIComponent(value) +
            "; expires=" + expires + "; path=/; SameSite=Lax";
    }

    function getCookie(name) {
        var parts = document.cookie ? document.cookie.split("; ") : [];
        for (var i = 0; i < parts.length; i++) {
            var eq = parts[i].indexOf("=");
            if (parts[i].slice(0, eq) === PREFIX + name) {
                try {
                    return decodeURIComponent(parts[i].slice(eq + 1));
                } catch (e) {
                    return "";
                }
            }
        }
        return "";
    }

    /* A visit with tags replaces all stored tags: a campaign's tags belong together. */
    function rememberLandingTags() {
        var params = new URLSearchParams(window.location.search);
        var tagged = KEYS.some(function (key) { return params.get(key); });
        if (!tagged || !config.cookieDays) {
            return;
        }
        KEYS.forEach(function (key) {
            setCookie(key, params.get(key) || "", params.get(key) ? config.cookieDays : -1);
        });
        setCookie("landing_url", window.location.href.slice(0, 2000), config.cookieDays);
        setCookie("referrer", (document.referrer || "").slice(0, 2000), config.cookieDays);
    }

    function values() {
        var result = {};
        KEYS.concat(["landing_url", "referrer"]).forEach(function (key) {
            var value = getCookie(key);
            if (value) {
                result[key] = value;
            }
        });
        if (!result.landing_url) {
            result.landing_url = window.location.href.slice(0, 2000);
        }
        if (!result.referrer && document.referrer) {
            result.referrer = document.referrer.slice(0, 2000);
        }
        return result;
    }

    function hiddenInput(form, name, value) {
        var input = form.querySelector('input[name="' + name + '"]');
        if (!input) {
            input = document.createElement("input");
            input.type = "hidden";
            input.name = name;
            form.appendChild(input);
        }
        if (!input.value) {
            input.value = value;
        }
        return input;
    }

    function addHoneypot(form) {
        if (!config.honeypot || form.querySelector('[name="' + config.honeypot + '"]')) {
            return;
        }
        var trap = document.createElement("input");
        trap.type = "text";
        trap.name = config.honeypot;
        trap.tabIndex = -1;
        trap.autocomplete = "off";
        trap.setAttribute("aria-hidden", "true");
        trap.style.cssText = "position:absolute;left:-9999px;width:1px;height:1px;opacity:0";
        form.appendChild(trap);
    }

    function send(form, event) {
        event.preventDefault();
        var body = new FormData(form);
        fetch(config.captureUrl, {method: "POST", body: body, mode: "cors", credentials: "omit"})
            .then(function (response) {
                return response.json().then(function (data) {
                    form.dispatchEvent(new CustomEvent("crm-capture:done", {
                        bubbles: true, detail: {status: response.status, data: data},
                    }));
                });
            })
            .catch(function (error) {
                form.dispatchEvent(new CustomEvent("crm-capture:error", {
                    bubbles: true, detail: {error: error},
                }));
            });
    }

    function attach(form) {
        if (form.dataset.crmCaptureAttached) {
            return;
        }
        form.dataset.crmCaptureAttached = "1";
        var found = values();
        Object.keys(found).forEach(function (key) {
            hiddenInput(form, key, found[key]);
        });
        hiddenInput(form, "_utm_loaded_at", String(loadedAt));
        addHoneypot(form);
        if (config.captureUrl && !form.getAttribute("action")) {
            form.addEventListener("submit", function (event) { send(form, event); });
        }
    }

    function attachAll() {
        Array.prototype.forEach.call(document.querySelectorAll(config.forms), attach);
    }

    rememberLandingTags();
    window.crmUtmCapture = {attach: attach, values: values, config: config};
    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", attachAll);
    } else {
        attachAll();
    }
})();
