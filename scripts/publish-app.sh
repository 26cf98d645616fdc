# Sourced by the scripts that run the published app (CI, the benchmark, the soak, scale-out, Lighthouse): one way to
# get it, as the README's Deploying section publishes it (Release, ReadyToRun: compiled ahead of time, so a start
# spends half the CPU it does on the build's output, JIT-compiling EF Core and the rest).
# Usage: publish_app FOLDER. With NEWSPORTAL_APP naming a folder that already holds it (CI publishes once, first),
# that is copied, so each script still runs and writes in a folder of its own.
publish_app() {
    local folder=$1
    mkdir -p "$folder"
    if [ -n "${NEWSPORTAL_APP:-}" ] && [ -f "$NEWSPORTAL_APP/NewsPortal.Web.dll" ]; then
        cp -a "$NEWSPORTAL_APP/." "$folder/"
        # Without what runs of that copy kept beside it (a key ring in App_Data): a published app has none.
        rm -rf "$folder/App_Data"
        return
    fi
    dotnet publish src/NewsPortal.Web --configuration Release --runtime linux-x64 --self-contained false \
        -p:PublishReadyToRun=true --output "$folder" --nologo --verbosity quiet >/dev/null
}
