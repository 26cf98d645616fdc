// Live preview and keyboard shortcuts for the snippet editor. The page works without this script:
// the Preview button posts the form and the server renders the same preview.
(() => {
    const form = document.getElementById("article-form");
    const preview = document.getElementById("preview");
    if (!form || !preview) {
        return;
    }

    let timer;
    const refresh = async () => {
        const action = new URL(form.action || location.href, location.href);
        action.searchParams.set("handler", "Preview");
        const response = await fetch(action, {
            method: "POST",
            body: new FormData(form),
            headers: { "X-Preview": "fragment" },
            credentials: "same-origin",
        });
        if (response.ok) {
            // The server sanitises this HTML with the same renderer as the public page.
            preview.innerHTML = await response.text();
        }
    };

    // Autosave: what the editor types is kept in this browser until the form is saved, so a closed tab or a
    // crash loses nothing. Opening the same editor again offers to bring it back.
    const key = `newsportal:draft:${location.pathname}`;
    const fields = () => Array.from(form.elements).filter((e) => e.name && e.name.startsWith("Form.") && e.name !== "Form.Version");
    const store = (() => { try { return window.localStorage; } catch { return null; } })();
    const saved = store && JSON.parse(store.getItem(key) || "null");
    if (saved && fields().some((e) => saved[e.name] !== undefined && saved[e.name] !== e.value)) {
        const offer = document.createElement("p");
        offer.className = "notice autosave";
        offer.setAttribute("role", "status");
        offer.textContent = "You have unsaved changes from earlier in this browser. ";
        const restore = document.createElement("button");
        restore.type = "button";
        restore.textContent = "Restore them";
        restore.addEventListener("click", () => {
            fields().forEach((e) => { if (saved[e.name] !== undefined) { e.value = saved[e.name]; } });
            offer.remove();
            refresh();
        });
        const discard = document.createElement("button");
        discard.type = "button";
        discard.textContent = "Discard";
        discard.addEventListener("click", () => { store.removeItem(key); offer.remove(); });
        offer.append(restore, " ", discard);
        form.before(offer);
    }

    form.addEventListener("submit", () => store && store.removeItem(key));

    form.addEventListener("input", () => {
        if (store) {
            store.setItem(key, JSON.stringify(Object.fromEntries(fields().map((e) => [e.name, e.value]))));
        }
        clearTimeout(timer);
        timer = setTimeout(refresh, 400);
    });

    document.addEventListener("keydown", (event) => {
        if (!(event.ctrlKey || event.metaKey)) {
            return;
        }
        if (event.key === "s") {
            event.preventDefault();
            form.requestSubmit();
        } else if (event.key === "Enter") {
            event.preventDefault();
            refresh();
        }
    });
})();

// A form that destroys something asks first (the server still offers Undo afterwards).
document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
        if (!window.confirm(form.dataset.confirm)) {
            event.preventDefault();
        }
    });
});

// The body's word count, as the server counts it (runs of letters or digits).
(() => {
    const body = document.getElementById("Form_Body");
    const count = document.getElementById("word-count");
    if (!body || !count) {
        return;
    }

    const update = () => {
        const words = (body.value.match(/[\p{L}\p{N}]+/gu) || []).length;
        count.textContent = `${words.toLocaleString("en")} ${words === 1 ? "word" : "words"}`;
    };
    body.addEventListener("input", update);
})();

// Scheduling in the editor's own time zone. The server stores and takes UTC (the form works without this script);
// here the editor reads and types local time, and the UTC field is filled from it.
(() => {
    const utc = document.getElementById("Form_PublishAtUtc");
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const pad = (n) => String(n).padStart(2, "0");
    const localText = (d) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
    if (utc) {
        const local = document.createElement("input");
        local.type = "datetime-local";
        local.step = "1";
        local.id = "publish-at-local";
        local.value = utc.value ? localText(new Date(utc.value.replace(/Z?$/, "Z"))) : "";
        local.addEventListener("input", () => {
            const when = local.value ? new Date(local.value) : null;
            utc.value = when && !isNaN(when) ? when.toISOString().slice(0, 19) : "";
        });
        const label = document.querySelector("label[for='Form_PublishAtUtc']");
        if (label) {
            label.htmlFor = local.id;
            label.firstChild.textContent = `Publish at (your time, ${zone}) `;
        }
        utc.type = "hidden";
        utc.before(local);
    }

    // Times written in UTC on admin pages, shown in the editor's time zone.
    document.querySelectorAll("time.local-time[datetime]").forEach((time) => {
        const when = new Date(time.dateTime);
        if (!isNaN(when)) {
            time.textContent = `${localText(when).replace("T", " ").slice(0, 16)} (${zone})`;
        }
    });
})();

// Names in one field, split as the server's NameList splits them: at commas (in a source field, semicolons too)
// outside double quotes, which hold a name with a comma in it ("Arts, culture and entertainment").
function splitNames(text, separators) {
    const names = [];
    let name = "";
    let quoted = false;
    for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (quoted) {
            if (c !== '"') {
                name += c;
            } else if (text[i + 1] === '"') {
                name += '"';
                i++;
            } else {
                quoted = false;
            }
        } else if (c === '"' && name.trim() === "") {
            name = "";
            quoted = true;
        } else if (separators.includes(c)) {
            names.push(name);
            name = "";
        } else {
            name += c;
        }
    }

    names.push(name);
    return names;
}

const quoteName = (name) => /[,;]/.test(name) || name.trimStart().startsWith('"') ? `"${name.replaceAll('"', '""')}"` : name;

// The category and source fields suggest stored names that start as the last name typed does (asked of the server
// as the editor types; the lookalike check on saving still catches a near miss). A field of one name
// (data-suggest-one: a developing story, a merge) takes its whole value as the name: thread names hold commas.
document.querySelectorAll("input[data-suggest]").forEach((input) => {
    const one = "suggestOne" in input.dataset;
    const list = document.getElementById(input.getAttribute("list"));
    if (!list) {
        return;
    }

    let timer;
    let asked = "";
    const hint = input.dataset.newNameHint ? document.getElementById(`${input.id}-hint`) : null;
    input.addEventListener("input", () => {
        clearTimeout(timer);
        timer = setTimeout(async () => {
            const parts = one ? [input.value] : splitNames(input.value, input.dataset.suggest === "source" ? ",;" : ",");
            const last = parts.pop().trim();
            if (last === "" && hint) {
                hint.hidden = true;
            }

            if (last === "" || last === asked) {
                return;
            }

            asked = last;
            const url = `/admin/articles/edit?handler=Names&kind=${input.dataset.suggest}&q=${encodeURIComponent(last)}`;
            const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
            if (!response.ok) {
                return;
            }

            const head = parts.map((part) => part.trim()).filter((part) => part !== "");
            const names = await response.json();
            // An answer overtaken by the next question (a slow reply for a name half typed) is not shown over its reply.
            if (last !== asked) {
                return;
            }

            list.replaceChildren(...names.map((name) => {
                const option = document.createElement("option");
                option.value = one ? name : [...head, name].map(quoteName).join(", ");
                return option;
            }));
            // A name no stored one starts with will be created on saving: say so before then.
            if (hint) {
                hint.textContent = names.length === 0 ? `“${last}” ${input.dataset.newNameHint}` : "";
                hint.hidden = names.length !== 0;
            }
        }, 150);
    });
});

// A suggestion button fills its field with its value (the editor still saves).
document.querySelectorAll("button[data-fill]").forEach((button) => {
    button.addEventListener("click", () => {
        const field = document.getElementById(button.dataset.fill);
        if (field) {
            field.value = button.dataset.value;
            field.focus();
        }
    });
});
