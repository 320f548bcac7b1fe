#!/bin/bash
# tests/mutation/run.sh [--results DIR] [ID...]
#
# The mutation check: each mutation in tests/mutation/mutations.tsv (all,
# or the IDs given) is a small wrong change to a safety promise. One at a
# time, it is applied to a copy of the tracked files, the programs of the
# tests it names are rebuilt, and those tests run: at least one must fail.
#
# A mutation fails the check when it survives (its tests all pass), when
# its pattern is not found exactly once (the code moved: update the
# table), when the mutated tree does not compile, or when one of its tests
# already fails without it. Results, one per mutation, go to
# DIR/meson-logs/testlog-mutation.json in the form of meson's test log (for
# build-aux/run-tests.sh's count); a summary goes to stdout. Exits non-zero
# when any mutation failed the check.
#
# One copy and one build directory serve every mutation (PROV_MUTATION_DIR,
# or a temporary folder removed at the end); the mutated file is restored
# between mutations, so each build only recompiles what changed.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
srcdir=$(cd "$here/../.." && pwd)
table=$here/mutations.tsv
mutate=$here/mutate.py
results=

if [ "${1:-}" = --results ]; then
    results=$2
    shift 2
fi

if [ -n "${PROV_MUTATION_DIR:-}" ]; then
    work=$PROV_MUTATION_DIR
    mkdir -p "$work"
else
    work=$(mktemp -d "${TMPDIR:-/tmp}/provisioner-mutation-XXXXXX")
    trap 'rm -rf "$work"' EXIT
fi
copy=$work/src
build=$work/build
log=$work/log
mkdir -p "$log"

mapfile -t rows < <(python3 "$mutate" list "$table") || exit 1
if [ $# -gt 0 ]; then
    wanted=" $* "
    selected=()
    for row in "${rows[@]}"; do
        [[ $wanted == *" ${row%%$'\t'*} "* ]] && selected+=("$row")
    done
    rows=("${selected[@]}")
fi
if [ ${#rows[@]} -eq 0 ]; then
    echo "no mutations to check" >&2
    exit 1
fi

# The copy: the working tree's tracked files, as they are now.
echo "==> mutation: copying the tree to $copy"
mkdir -p "$copy"
python3 "$mutate" sync "$srcdir" "$copy" || exit 1

echo "==> mutation: building $build"
if [ ! -f "$build/meson-private/coredata.dat" ]; then
    meson setup "$build" "$copy" > "$log/setup.txt" 2>&1 || { cat "$log/setup.txt"; exit 1; }
fi
meson compile -C "$build" > "$log/compile.txt" 2>&1 || { tail -50 "$log/compile.txt"; exit 1; }

# Every test the table names must pass on the unmutated tree, or a
# "caught" mutation would mean nothing.
all_tests=$(printf '%s\n' "${rows[@]}" | cut -f3 | tr ' ' '\n' | sort -u | tr '\n' ' ')
echo "==> mutation: the tests without any mutation: $all_tests"
declare -A broken=()
# shellcheck disable=SC2086
meson test -C "$build" --no-rebuild --setup=xvfb $all_tests > "$log/baseline.txt" 2>&1
python3 - "$build/meson-logs" > "$log/baseline-failed.txt" <<'PY'
import glob, json, sys
for log in glob.glob(sys.argv[1] + '/testlog*.json'):
    for line in open(log, encoding='utf-8', errors='replace'):
        entry = json.loads(line)
        if entry.get('result') not in ('OK', 'EXPECTEDFAIL'):
            print(entry['name'].split(' / ')[-1])   # "project:suite / name"
PY
while read -r name; do
    [ -n "$name" ] && broken[$name]=1 && echo "    $name FAILS without any mutation"
done < "$log/baseline-failed.txt"

passed=0
failed=0
report=()
json=()
started=$(date +%s)

record() {   # record ID RESULT MESSAGE
    local id=$1 result=$2 message=$3
    if [ "$result" = OK ]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
    fi
    report+=("$(printf '%-32s %s' "$id" "$message")")
    json+=("$(python3 -c 'import json, sys; print(json.dumps({"name": "mutation:" + sys.argv[1], "result": sys.argv[2], "stdout": sys.argv[3]}))' "$id" "$result" "$message")")
    echo "    $id: $message"
}

for row in "${rows[@]}"; do
    IFS=$'\t' read -r id file tests <<< "$row"
    t0=$(date +%s)
    echo "==> mutation $id ($tests)"

    cp -p "$copy/$file" "$work/original" 2> /dev/null || true
    if ! python3 "$mutate" apply "$table" "$id" "$copy" > "$log/$id.txt" 2>&1; then
        record "$id" FAIL "FAILED: $(tail -1 "$log/$id.txt")"
        continue
    fi
    cat "$log/$id.txt"

    skip=
    for t in $tests; do
        [ -n "${broken[$t]:-}" ] && skip="$skip $t"
    done

    if [ -n "$skip" ]; then
        record "$id" FAIL "FAILED: not checked, fails without the mutation:$skip"
    elif ! targets=$(python3 "$mutate" targets "$build" $tests 2>> "$log/$id.txt"); then
        record "$id" FAIL "FAILED: $(tail -1 "$log/$id.txt")"
    elif ! meson compile -C "$build" $targets >> "$log/$id.txt" 2>&1; then
        record "$id" FAIL "FAILED: the mutated tree does not compile (see $log/$id.txt)"
    elif meson test -C "$build" --no-rebuild --setup=xvfb $tests >> "$log/$id.txt" 2>&1; then
        record "$id" FAIL "SURVIVED: $tests all passed with it"
    else
        caught=$(python3 - "$build/meson-logs" <<'PY'
import glob, json, sys
names = []
for log in glob.glob(sys.argv[1] + '/testlog*.json'):
    for line in open(log, encoding='utf-8', errors='replace'):
        entry = json.loads(line)
        if entry.get('result') not in ('OK', 'EXPECTEDFAIL'):
            names.append(entry['name'])
print(' '.join(names))
PY
)
        record "$id" OK "caught by $caught ($(( $(date +%s) - t0 )) s)"
    fi

    # Back to the original, for the next mutation.
    cp -p "$work/original" "$copy/$file"
    touch "$copy/$file"
done

elapsed=$(( $(date +%s) - started ))
echo
echo "Mutation check (${elapsed} s for ${#rows[@]} mutations, after the build):"
printf '  %s\n' "${report[@]}"
echo "mutation: $passed caught, $failed failed"

if [ -n "$results" ]; then
    mkdir -p "$results/meson-logs"
    printf '%s\n' "${json[@]}" > "$results/meson-logs/testlog-mutation.json"
fi
[ "$failed" -eq 0 ]
