#!/usr/bin/env bash
# The documented check that the HTML reports (monthly SLA, go/no-go, goose's load report) render in a real browser
# with their charts and without network access: headless Chromium (Debian `chromium`) opens
# each page with every network request sent to a dead proxy, dumps the DOM it built and takes
# a screenshot. Fails if a page asks for anything on the network, or if its charts (inline
# SVG) are not in the rendered DOM.
# Usage: bash tools/render-check.sh [folder of `vigie qualify`]   (apt-get install chromium)
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=${1:-}
if [ -z "$DIR" ]; then
  DIR=$(mktemp -d)
  cargo run --release --quiet -- qualify --out "$DIR" >/dev/null
fi
SHOTS="$DIR/screenshots"
mkdir -p "$SHOTS"
fail=0
# The browser's own background services (updates, accounts, spelling) are turned off; any
# that still start are the browser's, not the page's, and are listed apart.
QUIET=(--disable-background-networking --disable-component-update --disable-sync --no-first-run
       --disable-default-apps --no-default-browser-check --no-pings --disable-spell-checking)
BROWSER='(google\.com|googleapis\.com|gvt1\.com|gstatic\.com)/'
# Every HTML file of the folder; the reports must show their charts (2 SVG at least), the
# index (links only) none.
for page in "$DIR"/*.html "$DIR"/load/*.html; do
  [ -e "$page" ] || continue
  name=$(basename "$page" .html)
  want=2
  [ "$name" = index ] && want=0
  log="$SHOTS/$name.netlog.json"
  # --proxy-server to a closed port: any network fetch fails; --log-net-log records attempts.
  chromium "${QUIET[@]}" --headless --no-sandbox --disable-gpu --hide-scrollbars --proxy-server=http://127.0.0.1:9 \
    --log-net-log="$log" --window-size=1280,2400 --dump-dom "file://$(realpath "$page")" > "$SHOTS/$name.dom.html" 2>/dev/null
  chromium "${QUIET[@]}" --headless --no-sandbox --disable-gpu --hide-scrollbars --proxy-server=http://127.0.0.1:9 \
    --window-size=1280,2400 --screenshot="$SHOTS/$name.png" "file://$(realpath "$page")" >/dev/null 2>&1
  svgs=$(grep -o "<svg" "$SHOTS/$name.dom.html" | wc -l || true)
  # Requests other than the page itself (file://) in the net log.
  remote=$(grep -o '"url":"[a-z]*://[^"]*"' "$log" | grep -v '"url":"file://' | grep -v 'chrome://' | grep -Ev "$BROWSER" | sort -u | wc -l || true)
  own=$(grep -o '"url":"[a-z]*://[^"]*"' "$log" | grep -Ec "$BROWSER" || true)
  size=$(stat -c %s "$SHOTS/$name.png" 2>/dev/null || echo 0)
  status=ok
  if [ "$svgs" -lt "$want" ] || [ "$remote" -ne 0 ] || [ "$size" -lt 10000 ]; then status=FAIL; fail=1; fi
  printf '%-30s %s: %s SVG charts in the rendered DOM, %s request(s) from the page (browser services: %s), screenshot %s bytes\n' "$name" "$status" "$svgs" "$remote" "$own" "$size"
done
echo "screenshots: $SHOTS"
exit $fail
