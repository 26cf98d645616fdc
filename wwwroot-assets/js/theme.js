// The reader's light, dark or system theme. Loaded in <head> without defer so that data-theme is set before the
// first paint (no flash of the other theme); the toggle is wired once the header exists. Without JavaScript the
// toggle stays hidden and the site follows prefers-color-scheme.
(() => {
    const key = "newsportal-theme";
    const themes = ["system", "light", "dark"];
    const root = document.documentElement;

    const stored = () => {
        try {
            return localStorage.getItem(key);
        } catch {
            // Storage can be switched off; the theme then lasts for the page only.
            return null;
        }
    };

    const apply = (theme) => {
        if (theme === "light" || theme === "dark") {
            root.dataset.theme = theme;
        } else {
            delete root.dataset.theme;
        }
    };

    apply(stored());

    document.addEventListener("DOMContentLoaded", () => {
        const button = document.getElementById("theme-toggle");
        if (!button) {
            return;
        }

        const label = button.querySelector("[data-theme-label]");
        const show = () => {
            const theme = root.dataset.theme ?? "system";
            label.textContent = theme[0].toUpperCase() + theme.slice(1);
            button.dataset.current = theme;
        };

        button.addEventListener("click", () => {
            const current = root.dataset.theme ?? "system";
            const next = themes[(themes.indexOf(current) + 1) % themes.length];
            try {
                if (next === "system") {
                    localStorage.removeItem(key);
                } else {
                    localStorage.setItem(key, next);
                }
            } catch {
                // As above: without storage the choice is not remembered.
            }
            apply(next);
            show();
        });

        show();
        document.getElementById("theme-choice").hidden = false;
    });
})();
