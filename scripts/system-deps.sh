#!/usr/bin/env bash
# Installs the Debian packages leaflets needs, where it can (root or sudo); otherwise names them.
#   libpango-1.0-0 libpangoft2-1.0-0  WeasyPrint's text layout
#   libharfbuzz-subset0                font subsetting, about 10x faster PDF writing
#   gettext                            msgfmt, used by the tests to check every written .po
#   poppler-utils zbar-tools           pdfinfo/pdffonts/pdftoppm/zbarimg, cross-checks in tests
#   chromium                           headless browser: the tests open the gallery and the preview in it
set -u
packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 gettext poppler-utils zbar-tools chromium)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then sudo=""; elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo="sudo"; else
  echo "leaflets needs these Debian packages: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
echo "Installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq && $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
