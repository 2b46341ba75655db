#!/bin/sh
# Set up and run kenpo-plans on a fresh Debian/Ubuntu machine.
#   sh dev.sh demo   install, validate the plans and render the Kagoshima 新旧対照表 PDF
#   sh dev.sh test   install with test tools, then run the whole test suite
# System packages are installed with apt-get when running as root; otherwise
# the exact apt-get command is printed and the script stops.
set -eu
cd "$(dirname "$0")"

PYTHON=${PYTHON:-python3}
VENV=${VENV:-.venv}
task=${1:-demo}

# Pango is WeasyPrint's text engine; IPAex fonts give the PDF its Japanese glyphs;
# poppler-utils (pdffonts, pdftotext), git, chromium (the HTML report in a real browser) and LibreOffice
# (the .docx and .xlsx outputs opened by a real office suite) are used by the tests.
RUNTIME_PACKAGES="libpango-1.0-0 libpangoft2-1.0-0 fontconfig fonts-ipaexfont-mincho fonts-ipaexfont-gothic"
TEST_PACKAGES="poppler-utils git chromium libreoffice-writer-nogui libreoffice-calc-nogui"

need_python() {
    if ! command -v "$PYTHON" >/dev/null 2>&1; then
        echo "dev.sh: $PYTHON not found. Install Python 3.11 or newer: apt-get install python3 python3-venv" >&2
        exit 1
    fi
    if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
        echo "dev.sh: kenpo-plans needs Python 3.11 or newer; $PYTHON is $("$PYTHON" -V 2>&1)." >&2
        exit 1
    fi
}

missing_packages() {
    command -v dpkg-query >/dev/null 2>&1 || return 0
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || printf '%s ' "$pkg"
    done
}

system_packages() {
    wanted="$RUNTIME_PACKAGES"
    [ "$task" = test ] && wanted="$wanted $TEST_PACKAGES"
    "$PYTHON" -c 'import ensurepip, venv' 2>/dev/null || wanted="$wanted python3-venv"
    missing=$(missing_packages $wanted)
    [ -z "$missing" ] && return 0
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "dev.sh: installing system packages: $missing"
        DEBIAN_FRONTEND=noninteractive apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
    else
        echo "dev.sh: missing system packages: $missing" >&2
        echo "Install them first:  sudo apt-get install $missing" >&2
        exit 1
    fi
}

python_env() {
    [ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
    "$VENV/bin/python" -m pip install -q --upgrade pip
    if [ "$task" = test ]; then
        "$VENV/bin/python" -m pip install -q -e '.[test]'
    else
        # pre-commit runs kenpo-plans validate before each commit in a planning repository (kenpo-plans init)
        "$VENV/bin/python" -m pip install -q -e . pre-commit
    fi
}

case "$task" in
demo)
    need_python; system_packages; python_env
    "$VENV/bin/kenpo-plans" validate
    "$VENV/bin/kenpo-plans" list
    "$VENV/bin/kenpo-plans" diff 2018 2019 --branch kagoshima --format text --no-color | head -25
    "$VENV/bin/kenpo-plans" diff 2018 2019 --branch kagoshima
    ;;
test)
    need_python; system_packages; python_env
    shift
    "$VENV/bin/python" -m pytest "$@"
    ;;
*)
    echo "usage: sh dev.sh demo | sh dev.sh test [pytest options]" >&2
    exit 2
    ;;
esac
