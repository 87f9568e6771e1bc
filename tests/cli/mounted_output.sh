# Sourced by full_disk.sh and read_only.sh: the set-up they share (a fresh work folder, a mount made for the
# test and undone on exit, or a skip when it cannot be made), the good inputs, and the check that a command
# writing into the mount fails with exit 4, one error line saying why, and nothing left in the mount.
# The sourcing script sets `upliftctl`, `hillstrom` and `work`, and counts `failures`.

# fresh_work MOUNT_POINT: an empty $work with src/ and the mount point, after a run killed mid-way.
fresh_work() {
    umount "$1" 2>/dev/null  # left mounted by a run that was killed
    chmod -R u+w "$work" 2>/dev/null
    rm -rf "$work" && mkdir -p "$work/src" "$1" || exit 1
}

# mount_or_skip MOUNT_POINT WHAT MOUNT_COMMAND...: runs the mount commands (joined by &&, each one a string);
# when one fails, says so and exits 77 (CTest's skip). The mount is undone when the script exits.
mount_or_skip() {
    local point=$1 what=$2; shift 2
    local step
    for step in "$@"; do
        if ! eval "$step" 2>>"$work/mount.err"; then
            umount "$point" 2>/dev/null
            echo "SKIP: cannot make $what here: $(cat "$work/mount.err")"
            exit 77
        fi
    done
    trap "umount '$point'" EXIT
}

run_src() { "$upliftctl" "$@" >/dev/null 2>"$work/src.err" || { echo "setup failed: $*"; cat "$work/src.err"; exit 1; }; }

# make_sources CLIENTS: the dataset and features of Hillstrom's Womens E-Mail arm and a simulated retail
# folder, under $work/src.
make_sources() {
    run_src ingest -i "$hillstrom" -o "$work/src/dataset.parquet" --treatment segment --control "No E-Mail" \
        --outcome visit --treatment-level "Womens E-Mail" --drop conversion,spend
    run_src features -i "$work/src/dataset.parquet" -o "$work/src/features.parquet"
    run_src simulate --clients "$1" --out "$work/src/retail" --seed 3
}

# expect_io NAME WHY_REGEX DIR -- upliftctl ARGS...: exit 4, one error line matching WHY_REGEX (grep -Ei),
# and DIR empty afterwards (neither a final name nor a temporary); DIR is emptied for the next case.
expect_io() {
    local name=$1 why=$2 dir=$3; shift 4
    "$upliftctl" "$@" >"$work/$name.out" 2>"$work/$name.err"
    local rc=$? problems=""
    [[ $rc == 4 ]] || problems+="exit code $rc, expected 4; "
    local errors
    errors=$(grep -c '^upliftctl: error: ' "$work/$name.err")
    [[ $errors == 1 ]] || problems+="$errors 'upliftctl: error:' lines on stderr, expected 1; "
    grep -Eqi "$why" "$work/$name.err" || problems+="stderr does not say why ($why); "
    local left
    left=$(ls -A "$dir")
    [[ -z $left ]] || problems+="left in '$dir': $(echo $left); "
    if [[ -n $problems ]]; then
        echo "FAIL $name: $problems"; echo "--- stderr ---"; cat "$work/$name.err"
        failures=$((failures + 1))
    else
        echo "ok $name: $(cat "$work/$name.err")"
    fi
    rm -rf "${dir:?}"/* "${dir:?}"/.[!.]* 2>/dev/null
}
