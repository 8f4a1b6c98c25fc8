#!/bin/sh
# Makes sure the system libraries of build/linux-libraries.txt are installed.
#
#   build/linux-libraries.sh          install what is missing (as root, with apt-get),
#                                     or say exactly what to install (otherwise)
#   build/linux-libraries.sh --check  only say what is missing (exit 1 if anything is)
#
# Nothing to do on Windows or macOS: Qt brings what it needs there.
set -eu
list="$(dirname "$0")/linux-libraries.txt"
[ "$(uname -s)" = Linux ] || exit 0
mode="${1:-install}"

packages=$(sed -e 's/#.*//' "$list" | awk 'NF { print $1 }')
if command -v dpkg-query >/dev/null 2>&1; then
  missing=""
  for pkg in $packages; do
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    case "$status" in *"ok installed"*) ;; *) missing="$missing $pkg" ;; esac
  done
  [ -z "$missing" ] && exit 0
  if [ "$mode" != "--check" ] && [ "$(id -u)" = 0 ]; then
    echo "madoguchi: installing the libraries the windows need:$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing
    exit 0
  fi
  echo "madoguchi: the windows need these system libraries (Debian/Ubuntu packages):" >&2
  echo "  sudo apt-get install$missing" >&2
  exit 1
fi

# Another Linux: name the libraries (sonames) the dynamic linker cannot find.
known=$(/sbin/ldconfig -p 2>/dev/null || ldconfig -p 2>/dev/null || true)
missing=""
for lib in $(sed -e 's/#.*//' "$list" | awk 'NF { for (i = 2; i <= NF; i++) print $i }'); do
  echo "$known" | grep -q "^[[:space:]]*$lib " || missing="$missing $lib"
done
[ -z "$missing" ] && exit 0
echo "madoguchi: the windows need these system libraries; install the packages of your" >&2
echo "distribution that provide them:$missing" >&2
exit 1
