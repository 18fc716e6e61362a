# The terminal both tmux tests of `imgvisa ask` drive (sourced, not run): a private tmux
# server, the screen captured into $work/screen, and `imgvisa ask` started in session "ask" with
# the caller's $bin, $as_of and ask_args. Skips the test (77) where tmux is not installed.

if ! command -v tmux >/dev/null 2>&1; then
  echo "tmux is not installed: skipped"
  exit 77
fi

work=$(mktemp -d /tmp/imgvisa-tty.XXXXXX)
socket="$work/tmux.sock"
tmux_() { tmux -S "$socket" -f /dev/null "$@"; }
trap 'tmux_ kill-server >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

fail() {
  echo "FAIL: $*"
  echo "--- screen ---"
  cat "$work/screen" 2>/dev/null || true
  exit 1
}

capture() { tmux_ capture-pane -p -J -S -10000 -t ask >"$work/screen"; }

# Waits (up to 20 s: a slow machine is not a failure) until the screen shows the fixed string.
wait_for() {
  local i
  for i in $(seq 200); do
    capture
    grep -qF -- "$1" "$work/screen" && return 0
    sleep 0.1
  done
  fail "never saw: $1"
}

# Starts `imgvisa ask ${ask_args[@]} ARGS...` in a fresh session; its exit status lands in
# $work/rc.
start() {
  rm -f "$work/rc"
  tmux_ kill-session -t ask >/dev/null 2>&1 || true
  {
    echo '#!/usr/bin/env bash'
    printf '%q ' "$bin" ask "${ask_args[@]}" --as-of "$as_of" "$@"
    echo
    printf 'echo "exit=$?" > %q\n' "$work/rc"
    echo 'exec sleep 600'
  } >"$work/run.sh"
  tmux_ new-session -d -s ask -x 200 -y 60 "bash $work/run.sh"
  tmux_ set-option -t ask history-limit 20000 >/dev/null
}

exit_status() {
  local i
  for i in $(seq 200); do
    [ -s "$work/rc" ] && { cat "$work/rc"; return 0; }
    sleep 0.1
  done
  fail "imgvisa ask did not end"
}
