// Passkeys: the sign-in page's "Sign in with a passkey" and the editors' "Add a passkey". Each form asks the server
// for a challenge (posting the form, so its antiforgery token and, when adding, the password go along), hands it to
// the browser, puts the browser's answer in the form's Credential field as JSON and submits the form. Browsers
// without passkeys never see the sign-in form (it stays hidden); the JSON helpers of newer browsers are used where
// they exist, the same conversion by hand elsewhere. Where a passkey is the only way on, a browser without them says so.
(() => {
    if (!window.PublicKeyCredential || !navigator.credentials) {
        document.querySelectorAll("[data-passkey-unavailable]").forEach((note) => { note.hidden = false; });
        return;
    }

    const toBytes = (text) => {
        const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
        const binary = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
        return Uint8Array.from(binary, (c) => c.charCodeAt(0)).buffer;
    };

    const toText = (buffer) => btoa(String.fromCharCode(...new Uint8Array(buffer)))
        .replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

    const creationOptions = (json) => PublicKeyCredential.parseCreationOptionsFromJSON
        ? PublicKeyCredential.parseCreationOptionsFromJSON(json)
        : {
            ...json,
            challenge: toBytes(json.challenge),
            user: { ...json.user, id: toBytes(json.user.id) },
            excludeCredentials: (json.excludeCredentials || []).map((c) => ({ ...c, id: toBytes(c.id) })),
        };

    const requestOptions = (json) => PublicKeyCredential.parseRequestOptionsFromJSON
        ? PublicKeyCredential.parseRequestOptionsFromJSON(json)
        : {
            ...json,
            challenge: toBytes(json.challenge),
            allowCredentials: (json.allowCredentials || []).map((c) => ({ ...c, id: toBytes(c.id) })),
        };

    const asJson = (credential) => {
        if (typeof credential.toJSON === "function") {
            return JSON.stringify(credential.toJSON());
        }

        const r = credential.response;
        const response = { clientDataJSON: toText(r.clientDataJSON) };
        if (r.attestationObject) {
            response.attestationObject = toText(r.attestationObject);
            response.transports = typeof r.getTransports === "function" ? r.getTransports() : [];
        } else {
            response.authenticatorData = toText(r.authenticatorData);
            response.signature = toText(r.signature);
            response.userHandle = r.userHandle ? toText(r.userHandle) : null;
        }

        return JSON.stringify({
            id: credential.id,
            rawId: toText(credential.rawId),
            type: credential.type,
            authenticatorAttachment: credential.authenticatorAttachment,
            clientExtensionResults: credential.getClientExtensionResults(),
            response,
        });
    };

    const wire = (form) => {
        const kind = form.dataset.passkey;
        const credential = form.querySelector("input[name=Credential]");
        const error = form.querySelector("[data-passkey-error]");
        const button = form.querySelector("button[type=submit]");
        const say = (message) => {
            error.textContent = message;
            error.hidden = !message;
        };

        form.hidden = false;
        form.addEventListener("submit", async (event) => {
            if (credential.value) {
                return;
            }

            event.preventDefault();
            if (!form.reportValidity()) {
                return;
            }

            say("");
            button.disabled = true;
            try {
                const answer = await fetch(form.dataset.options, { method: "POST", body: new FormData(form), credentials: "same-origin" });
                const json = await answer.json().catch(() => ({}));
                if (!answer.ok) {
                    say((json.problems || ["The site could not start a passkey: reload the page and try again."]).join(" "));
                    return;
                }

                const made = kind === "add"
                    ? await navigator.credentials.create({ publicKey: creationOptions(json) })
                    : await navigator.credentials.get({ publicKey: requestOptions(json) });
                credential.value = asJson(made);
                // A choice made on the page outside this form (the second step's "Don't ask again", beside the code)
                // goes with the passkey too.
                form.querySelectorAll("input[data-copies]").forEach((copy) => {
                    const from = document.getElementById(copy.dataset.copies);
                    copy.value = from && from.checked ? "true" : "false";
                });
                form.submit();
            } catch (failure) {
                say(failure && failure.name === "NotAllowedError"
                    ? "The passkey was cancelled or timed out. Try again when ready."
                    : "The browser could not use a passkey here" + (failure && failure.message ? ": " + failure.message : "."));
            } finally {
                button.disabled = false;
            }
        });
    };

    document.querySelectorAll("form[data-passkey]").forEach(wire);
})();
