# Sourced by the scripts that start servers of their own, for their EXIT trap: stops the servers, waits for them to
# end, then removes their folder. A server still writing its log while its folder was removed made `rm -rf` fail,
# and under `set -e` a failure in the EXIT trap turned a passing run into a failed one.
# Usage: stop_and_remove FOLDER [PID...]; a PID may be empty, and FOLDER empty keeps nothing to remove.
stop_and_remove() {
    local folder=$1 pid
    shift
    for pid in "$@"; do
        [ -z "$pid" ] || kill "$pid" 2>/dev/null || true
    done
    for pid in "$@"; do
        [ -n "$pid" ] || continue
        for _ in $(seq 100); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.05
        done
    done
    [ -z "$folder" ] || rm -rf "$folder" 2>/dev/null || rm -rf "$folder" 2>/dev/null || echo "Could not remove $folder" >&2
    return 0
}
