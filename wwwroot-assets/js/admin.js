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

    form.addEventListener("input", () => {
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
