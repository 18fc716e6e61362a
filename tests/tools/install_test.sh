#!/usr/bin/env bash
# `cmake --install` into a temporary prefix, then what a person gets: the installed binary checks
# an example profile, `man -l` renders the man page without a warning and with every command and
# every option that `imgvisa help COMMAND` lists, the bash completion sits where bash-completion
# looks for it and completes, and the documentation is in share/doc/imgvisa.
#   install_test.sh BUILD_DIR SOURCE_DIR
# Exits 77 (skipped) without man; scripts/install-deps installs man-db.
set -euo pipefail
build="$1" source="$2"
command -v man >/dev/null || { echo "SKIP: man (Debian's man-db) is not installed"; exit 77; }
prefix="$(mktemp -d)"
trap 'rm -rf "$prefix"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

cmake --install "$build" --prefix "$prefix" >/dev/null
imgvisa="$prefix/bin/imgvisa"
status=0
"$imgvisa" check --as-of 2026-11-21 "$source/examples/profiles/step3-passer-h1b.json" \
  >"$prefix/check.txt" || status=$?
[ "$status" -le 1 ] || fail "the installed imgvisa check exits $status"
grep -q "^  h1b " "$prefix/check.txt" || fail "the installed imgvisa check printed no verdict table"
echo "ok: $imgvisa check (exit $status)"

page="$prefix/share/man/man1/imgvisa.1"
[ -f "$page" ] || fail "no man page at share/man/man1/imgvisa.1"
warnings="$(MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null)"
[ -z "$warnings" ] || fail "man -l warns: $warnings"
rendered="$(MANWIDTH=80 man -l "$page" 2>/dev/null)"
for section in NAME SYNOPSIS DESCRIPTION OPTIONS COMMANDS "EXIT STATUS" ENVIRONMENT "SEE ALSO"; do
  grep -q "^$section" <<<"$rendered" || fail "the man page has no $section section"
done
commands="$("$imgvisa" --help | awk '/^Subcommands:/ { on = 1; next } on && NF { print $1 }')"
[ -n "$commands" ] || fail "imgvisa --help lists no commands"
for command in $commands; do
  grep -q "^   $command\$" <<<"$rendered" || fail "the man page has no section for $command"
  for option in $("$imgvisa" help "$command" | grep -oE '(^|[ ,])--?[A-Za-z][A-Za-z0-9-]*' |
    tr -d ' ,' | sort -u); do
    grep -qF -- "$option" <<<"$rendered" || fail "imgvisa help $command lists $option; the man page does not"
  done
done
echo "ok: man -l renders $page with every command and option of --help"

completion="$prefix/share/bash-completion/completions/imgvisa"
[ -f "$completion" ] || fail "no bash completion at share/bash-completion/completions/imgvisa"
bash "$(dirname "$0")/completion_test.sh" "$completion" >/dev/null || fail "the installed completion does not complete"
echo "ok: $completion completes"

for doc in README.md LICENSE cli.md profile.md pathways.md rule-language.md rule-tests.md diagnostics.md; do
  [ -f "$prefix/share/doc/imgvisa/$doc" ] || fail "no share/doc/imgvisa/$doc"
done
echo "ok: documentation in share/doc/imgvisa"
