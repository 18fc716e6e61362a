#!/usr/bin/env bash
# `cpack -G DEB` from the build directory, then the package as dpkg sees it: its fields, the files
# `dpkg-deb -c` lists (binary, man page, bash completion, documentation), and Depends naming the
# Debian package of every shared library the packaged binary needs (none when it is static).
#   deb_test.sh BUILD_DIR
# Exits 77 (skipped) without dpkg-deb, dpkg-shlibdeps or file; scripts/install-deps installs them.
set -euo pipefail
build="$1"
for tool in cpack dpkg-deb dpkg-shlibdeps file objdump; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool is not installed"; exit 77; }
done
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

cpack -G DEB -B "$out" --config "$build/CPackConfig.cmake" >"$out/cpack.log" 2>&1 ||
  { cat "$out/cpack.log"; fail "cpack -G DEB failed"; }
deb="$(ls "$out"/*.deb)"
echo "ok: $(basename "$deb")"

listing="$(dpkg-deb -c "$deb")"
for path in ./usr/bin/imgvisa ./usr/share/man/man1/imgvisa.1 \
  ./usr/share/bash-completion/completions/imgvisa ./usr/share/doc/imgvisa/README.md \
  ./usr/share/doc/imgvisa/LICENSE ./usr/share/doc/imgvisa/cli.md; do
  grep -q " $path\$" <<<"$listing" || fail "dpkg-deb -c does not list $path"
done
echo "ok: dpkg-deb -c lists the binary, man page, completion and docs"

for field in Package Version Architecture Maintainer Description Section; do
  [ -n "$(dpkg-deb -f "$deb" "$field")" ] || fail "no $field field"
done
[ "$(dpkg-deb -f "$deb" Package)" = imgvisa ] || fail "the package is not named imgvisa"
grep -q "<.*@.*>" <<<"$(dpkg-deb -f "$deb" Maintainer)" || fail "Maintainer has no address"

# Depends against what the binary links: each NEEDED library's Debian package must be named.
dpkg-deb -x "$deb" "$out/root"
depends="$(dpkg-deb -f "$deb" Depends)"
needed="$(objdump -p "$out/root/usr/bin/imgvisa" | awk '/NEEDED/ { print $2 }')"
if [ -z "$needed" ]; then
  [ -z "$depends" ] || fail "a static binary needs no package, yet Depends: $depends"
  echo "ok: static binary, no Depends"
else
  for library in $needed; do
    path="$(ldconfig -p | awk -v lib="$library" '$1 == lib && !found { print $NF; found = 1 }')"
    # dpkg knows a file by the path its package gave it: /lib or /usr/lib, link or target.
    package=""
    for candidate in "$path" "$(readlink -f "$path")"; do
      for form in "$candidate" "${candidate#/usr}" "/usr$candidate"; do
        [ -n "$package" ] || package="$(dpkg -S "$form" 2>/dev/null | sed -n '1s/:.*//p' || true)"
      done
    done
    [ -n "$package" ] || fail "no Debian package holds $library"
    grep -qw "$package" <<<"$depends" || fail "$library comes from $package, which Depends ($depends) does not name"
  done
  echo "ok: Depends: $depends"
fi
