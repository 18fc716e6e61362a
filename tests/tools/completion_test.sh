#!/usr/bin/env bash
# The bash completion in a real bash, as bash-completion would call it: COMP_WORDS and COMP_CWORD
# set for the line typed so far, then the function `complete -p imgvisa` names.
#   completion_test.sh SCRIPT     # the script to test: build/imgvisa.bash-completion or installed
set -uo pipefail
script="$1"
failures=0

# shellcheck source=/dev/null
source "$script" || { echo "FAIL: $script does not load"; exit 1; }
spec="$(complete -p imgvisa 2>/dev/null)" || { echo "FAIL: no completion for imgvisa"; exit 1; }
function_name="$(sed -n 's/.*-F \([^ ]*\) .*/\1/p' <<<"$spec")"

# complete WORD... : what completes the last word, the way bash splits a line (at '=' too).
complete_line() {
  COMP_WORDS=("$@")
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  COMP_LINE="$*"
  COMP_POINT=${#COMP_LINE}
  COMPREPLY=()
  "$function_name" imgvisa "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
  printf '%s\n' "${COMPREPLY[*]}"
}

expect() {
  local want="$1"
  shift
  local got
  got="$(complete_line "$@")"
  if [ "$got" != "$want" ]; then
    echo "FAIL: '$*<TAB>' completes to '$got', expected '$want'"
    failures=$((failures + 1))
  else
    echo "ok: '$*<TAB>' -> '$got'"
  fi
}

expect "check" imgvisa ch
expect "check completion" imgvisa c
expect "text json ndjson" imgvisa check --format ""
expect "json" imgvisa check --format j
expect "json" imgvisa check --format = j
expect "text json ndjson" imgvisa check --format =
expect "text junit" imgvisa test --format ""
expect "text json github sarif" imgvisa lint --format ""
expect "--format" imgvisa check --form
expect "--coverage --case" imgvisa test --c
expect "--version" imgvisa --v
expect "h1b" imgvisa check --pathway h1
expect "waiver-conrad-30" imgvisa explain waiver-co
expect "pathways profile" imgvisa docs p
expect "check" imgvisa help che
expect "" imgvisa check --as-of ""
# Profiles and rule paths complete as files.
dir="$(mktemp -d)"
touch "$dir/profile-one.json"
expect "$dir/profile-one.json" imgvisa check "$dir/profile-o"
expect "$dir/profile-one.json" imgvisa diff --old "$dir/profile-o"
rm -rf "$dir"

[ "$failures" -eq 0 ] || { echo "$failures completions wrong"; exit 1; }
