#!/bin/bash
# test-completion.sh PROVISIONER COMPLETION_FILE — bash completion, as a
# person at a prompt gets it
#
# bash-completion's own library and our completion file are loaded into
# this shell, and _provisioner is called the way bash calls it on Tab:
# COMP_WORDS, COMP_CWORD, COMP_LINE and COMP_POINT as readline leaves them.
# Target names come from the real binary (`provisioner targets list`) over
# a real keyring (run through with-keyring.sh). What Tab inserts must stay
# one word when the shell reads the line again: names have spaces.
set -uo pipefail

PROVISIONER=$1
COMPLETION_FILE=$2
LIBRARY=/usr/share/bash-completion/bash_completion

export XDG_CONFIG_HOME=$HOME/config XDG_STATE_HOME=$HOME/state XDG_DATA_HOME=$HOME/data
unset DISPLAY WAYLAND_DISPLAY
# The completion calls `provisioner` as a person's shell finds it.
bin=$HOME/bin   # with-keyring.sh's scratch HOME, removed after the test
mkdir -p "$bin"
ln -s "$(realpath "$PROVISIONER")" "$bin/provisioner"
export PATH=$bin:$PATH

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; shift; printf '# %s\n' "$@"; }

if [ ! -r "$LIBRARY" ]; then
    not_ok "bash-completion is installed" "$LIBRARY is missing (apt-get install bash-completion)"
    echo "1..$n"
    exit 1
fi
# shellcheck source=/dev/null
source "$LIBRARY"
# shellcheck source=/dev/null
source "$COMPLETION_FILE"

# complete WORD... — what Tab offers for the last word, joined by "|".
complete() {
    COMP_WORDS=("$@")
    COMP_CWORD=$(($# - 1))
    COMP_LINE="$*"
    COMP_POINT=${#COMP_LINE}
    COMPREPLY=()
    _provisioner
    local IFS='|'
    echo "${COMPREPLY[*]}"
}

# expect WHAT WANTED WORD... — Tab after WORD... offers WANTED.
expect() {
    local what=$1 wanted=$2 got
    shift 2
    got=$(complete "$@")
    if [ "$got" = "$wanted" ]; then
        ok "$what"
    else
        not_ok "$what" "typed: $*" "wanted: $wanted" "got:    $got"
    fi
}

add_jam() {
    echo 'a-throwaway-secret' | "$PROVISIONER" targets add --name "$1" --type jam \
        --url https://jam.example.com --client-key key --secret-stdin >/dev/null
}
add_jam 'SAP Jam Production' && add_jam 'SAP Jam Test' && add_jam 'IPS' && add_jam "O'Brien's Jam" ||
    not_ok "targets added" "targets add failed"

expect 'commands' 'targets|test' provisioner t
expect 'target names with spaces come escaped' 'SAP\ Jam\ Production|SAP\ Jam\ Test' provisioner test SAP
expect 'an escaped prefix goes on' 'SAP\ Jam\ Test' provisioner provision 'SAP\ Jam\ T'
expect 'a quoted prefix goes on' 'SAP\ Jam\ Production' provisioner targets show "'SAP Jam P"
expect 'a quote in a name' "O\\'Brien\\'s\\ Jam" provisioner history O
expect 'every target, in the order of the list' "SAP\\ Jam\\ Production|SAP\\ Jam\\ Test|IPS|O\\'Brien\\'s\\ Jam" provisioner targets delete ''
expect 'a second name after a first' 'IPS' provisioner provision 'SAP\ Jam\ Test' I
expect 'options of provision' '--dry-run' provisioner provision --d
expect 'choices of an option' 'deactivate|delete' provisioner targets edit IPS --deprovision de
expect 'the copy of add --from' 'SAP\ Jam\ Production|SAP\ Jam\ Test' provisioner targets add --name X --from S

# What Tab inserted is read back by the shell as the one name it is.
inserted=$(complete provisioner targets show 'SAP\ Jam\ P')
if shown=$(eval "\"\$PROVISIONER\" targets show --json $inserted") &&
   [[ $shown == *'"name" : "SAP Jam Production"'* ]]; then
    ok 'the inserted name is one word for the shell'
else
    not_ok 'the inserted name is one word for the shell' "inserted: $inserted" "shown: $shown"
fi
inserted=$(complete provisioner targets show O)
if shown=$(eval "\"\$PROVISIONER\" targets show --json $inserted") &&
   [[ $shown == *"\"name\" : \"O'Brien's Jam\""* ]]; then
    ok 'a name with quotes is one word for the shell'
else
    not_ok 'a name with quotes is one word for the shell' "inserted: $inserted" "shown: $shown"
fi

echo "1..$n"
[ "$failed" -eq 0 ]
