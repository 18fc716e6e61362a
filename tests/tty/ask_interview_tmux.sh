#!/usr/bin/env bash
# The interview of `imgvisa ask` with the real rules, in a real terminal (tmux): the progress
# line, menus that show labels rather than internal ids, questions in dependency order (whether
# there is an offer before its details; nothing about a US status after "none"; no renown
# questions without an offer), the end screen that is check's text output, and --resume.
#
# Usage: ask_interview_tmux.sh IMGVISA
# Exit: 0 pass, 1 fail, 77 skipped (tmux is not installed; CTest's SKIP_RETURN_CODE).
set -euo pipefail

bin=$1
as_of=2026-11-21
ask_args=()
# shellcheck source=tmux_session.sh
source "$(dirname "$0")/tmux_session.sh"

# The question on screen now: the text of the last "N. ..." line.
current_question() { grep -E '^[0-9]+\. ' "$work/screen" | tail -1 | sed -E 's/^[0-9]+\. //'; }

profile="$work/profile.json"
us_status="Are you a US citizen, a US permanent resident"
has_offer="What kind of position have you been offered"
offer_start="On what date does the offered position start?"
status_today="Which status do you hold in the US today"

# 1. A new interview: the first question, its progress line and its menu of labels.
start --out "$profile"
wait_for "question 1 of about "
wait_for "1. $us_status"
wait_for "2) US permanent resident (green card)"
wait_for "[1-10] > "
grep -qE '^ +[0-9]+\) (permanent_resident|b1_b2|adjustment_pending)$' "$work/screen" && fail "a menu shows an internal id"
wait_for "10) none of these (you live abroad)"
tmux_ send-keys -t ask "10" Enter

# 2. Don't know to everything except where one is (abroad) and whether there is an offer (none
#    yet), until the end.
n=2
offer_at=0
while true; do
  for i in $(seq 200); do
    capture
    grep -qF "question $n of about " "$work/screen" && break
    grep -qF "Nothing left to ask" "$work/screen" && break 2
    sleep 0.1
  done
  grep -qF "question $n of about " "$work/screen" || fail "question $n never came"
  q=$(current_question)
  case "$q" in
    "$us_status"*) fail "asked about the US status again: $q" ;;
    "$status_today"*) fail "asked which US status after \"none\": $q" ;;
    "$offer_start"*) fail "asked for the offer's start date (question $n) before or without an offer" ;;
    *Nobel*|*renown*) fail "asked about renown without an offer: $q" ;;
  esac
  if [[ "$q" == "Are you physically in the United States"* ]]; then
    tmux_ send-keys -t ask "n" Enter
  elif [[ "$q" == "$has_offer"* ]]; then
    offer_at=$n
    wait_for "4) no offer yet"
    tmux_ send-keys -t ask "4" Enter
  else
    tmux_ send-keys -t ask "?" Enter
  fi
  n=$((n + 1))
  [ "$n" -lt 120 ] || fail "the interview does not end"
done
[ "$offer_at" -gt 0 ] || fail "never asked whether there is an offer"
# The end screen is check's text output for the profile.
wait_for "$profile — as of $as_of (rules "
[ "$(exit_status)" = "exit=1" ] || [ "$(cat "$work/rc")" = "exit=0" ] || fail "exit: $(cat "$work/rc")"
grep -qF '"us_status": "none"' "$profile" || fail "us_status not saved: $(cat "$profile")"
grep -qF '"program_type": "none"' "$profile" || fail "program_type not saved: $(cat "$profile")"
# Every progress line's estimate is at least the number of questions asked by then.
grep -oE 'question [0-9]+ of about [0-9]+' "$work/screen" | while read -r _ at _ _ about; do
  [ "$about" -ge "$at" ] || fail "progress estimate below its question: $at of about $about"
done

# 3. Resume a profile that holds two answers: only what is still open is asked, and the
#    answers go back into the same file, with what it held kept.
printf '{"$id": "resumed", "us_status": "none", "school": {"country": "IN"}}\n' >"$profile"
start --resume "$profile"
wait_for "question 1 of about "
q=$(current_question)
case "$q" in
  "$us_status"*) fail "resume asked the US status again" ;;
  "In which country is the medical school"*) fail "resume asked the school's country again" ;;
esac
tmux_ send-keys -t ask "?" Enter
wait_for "question 2 of about "
tmux_ send-keys -t ask "q" Enter
wait_for "Stopped."
wait_for "saved 1 answer to $profile"
exit_status >/dev/null
grep -qF '"$id": "resumed"' "$profile" || fail "resume lost \$id: $(cat "$profile")"
grep -qF '"us_status": "none"' "$profile" || fail "resume lost us_status: $(cat "$profile")"
grep -qF '"country": "IN"' "$profile" || fail "resume lost school.country: $(cat "$profile")"
"$bin" check --as-of "$as_of" "$profile" >/dev/null 2>&1 || [ $? -eq 1 ] ||
  fail "check does not read the resumed profile"

echo "ask interview in a terminal: ok"
