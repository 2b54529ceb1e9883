#!/usr/bin/env bash
# Look at what people see: report.html as a full-page screenshot and as
# its A4 print, page by page (headless Chromium, pdftoppm), and a workbook
# as PDF pages rendered to PNG (LibreOffice, pdftoppm). Usage: scripts/look.sh FILE.html|FILE.xlsx [OUTDIR]
set -euo pipefail
file=$1
out=${2:-$(dirname "$file")/look}
mkdir -p "$out"
name=$(basename "${file%.*}")
case "$file" in
*.html)
    profile=$(mktemp -d)
    chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$profile" --hide-scrollbars --window-size=1280,${HEIGHT:-6000} \
        --screenshot="$out/$name.png" "file://$(realpath "$file")" >/dev/null 2>&1
    # Its print: A4 as the browser lays it out (@page), page by page.
    chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$profile" --no-pdf-header-footer \
        --print-to-pdf="$out/$name-print.pdf" "file://$(realpath "$file")" >/dev/null 2>&1
    rm -rf "$profile"
    pdftoppm -png -r ${DPI:-60} -l ${PAGES:-50} "$out/$name-print.pdf" "$out/$name-print"
    echo "$out/$name.png"
    ls "$out/$name-print"*.png
    ;;
*.xlsx)
    profile=$(mktemp -d)
    soffice --headless "-env:UserInstallation=file://$profile" --convert-to pdf \
        --outdir "$out" "$file" >/dev/null 2>&1
    rm -rf "$profile"
    pdftoppm -png -r ${DPI:-60} -l ${PAGES:-50} "$out/$name.pdf" "$out/$name"
    ls "$out/$name"*.png
    ;;
*) echo "usage: $0 FILE.html|FILE.xlsx [OUTDIR]" >&2; exit 2 ;;
esac
