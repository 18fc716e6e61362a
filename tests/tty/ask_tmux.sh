#!/usr/bin/env bash
# `imgvisa ask` in a real terminal: runs it inside a private tmux server, types answers with
# send-keys, reads the screen with capture-pane, then interrupts it, once with Ctrl-C (SIGINT)
# and once with Ctrl-D (end of input), and checks that every answer given was saved.
#
# Usage: ask_tmux.sh IMGVISA RULES_DIR
# Exit: 0 pass, 1 fail, 77 skipped (tmux is not installed; CTest's SKIP_RETURN_CODE).
set -euo pipefail

bin=$1
rules=$2
as_of=2026-11-21
ask_args=(--rules "$rules")
# shellcheck source=tmux_session.sh
source "$(dirname "$0")/tmux_session.sh"

profile="$work/profile.json"

# 1. Answers, a refused answer, a verdict that settles, then Ctrl-C.
start --out "$profile"
wait_for "1. Status?"
wait_for "2) none"
wait_for "[1-2] > "
tmux_ send-keys -t ask "2" Enter
wait_for "2. Passed the exam?"
tmux_ send-keys -t ask "maybe" Enter
wait_for "Not an answer: answer y or n."
tmux_ send-keys -t ask "y" Enter
wait_for "3. Score?"
wait_for "[whole number 0-500 points] > "
tmux_ send-keys -t ask "350" Enter
wait_for "4. Graduation date?"
tmux_ send-keys -t ask "2023-02-30" Enter
wait_for "not \"2023-02-30\" (a real calendar date"
tmux_ send-keys -t ask "2023-02-28" Enter
wait_for "alpha: undetermined -> conditional"
wait_for "5. Decided?"
tmux_ send-keys -t ask C-c
wait_for "interrupted: saved 4 answers to $profile"
[ "$(exit_status)" = "exit=130" ] || fail "Ctrl-C: expected exit=130, got $(cat "$work/rc")"
[ -f "$profile" ] || fail "no profile written"
grep -qF '"status": "none"' "$profile" || fail "status not saved: $(cat "$profile")"
grep -qF '"exam": true' "$profile" || fail "exam not saved: $(cat "$profile")"
grep -qF '"score": 350' "$profile" || fail "score not saved: $(cat "$profile")"
grep -qF '"grad": "2023-02-28"' "$profile" || fail "grad not saved: $(cat "$profile")"
ls -A "$work" | grep -q '\.tmp$' && fail "a temporary file was left behind"
# The saved profile is a valid profile: check reads it (alpha is conditional: status 0).
"$bin" check --rules "$rules" --as-of "$as_of" "$profile" >"$work/check" ||
  fail "check of the saved profile failed: $(cat "$work/check")"
grep -q "alpha  *conditional" "$work/check" || fail "unexpected verdict: $(cat "$work/check")"

# 2. The file exists now: refused before the first question without --force.
start --out "$profile"
wait_for "already exists; use --force to overwrite it"
[ "$(exit_status)" = "exit=2" ] || fail "existing file: expected exit=2, got $(cat "$work/rc")"
grep -q "Status?" "$work/screen" && fail "a question was asked although the file exists"

# 3. With --force: one answer, then Ctrl-D (end of input) saves it and ends by the verdicts.
start --out "$profile" --force
wait_for "[1-2] > "
tmux_ send-keys -t ask "1" Enter
wait_for "Nothing left to ask can change a verdict."
wait_for "saved 1 answer to $profile"
[ "$(exit_status)" = "exit=1" ] || fail "all not-applicable: expected exit=1, got $(cat "$work/rc")"
grep -qF '"status": "citizen"' "$profile" || fail "overwrite: $(cat "$profile")"

start --out "$profile" --force
wait_for "[1-2] > "
tmux_ send-keys -t ask "2" Enter
wait_for "2. Passed the exam?"
tmux_ send-keys -t ask C-d
wait_for "interrupted: saved 1 answer to $profile"
[ "$(exit_status)" = "exit=1" ] || fail "Ctrl-D: expected exit=1, got $(cat "$work/rc")"
grep -qF '"status": "none"' "$profile" || fail "Ctrl-D: $(cat "$profile")"

echo "ask in a terminal: ok"
