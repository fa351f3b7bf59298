#!/usr/bin/env bash
# Installs confday's front-end libraries from the npm registry, exactly as pinned in
# infra/web/package-lock.json, and places the files the pages load into webroot/vendor/.
# Maven runs it at generate-resources, so `infra/run.sh`, `infra/test.sh` and any `mvn`
# build do it; it does nothing when the lockfile has not changed since the last install.
set -euo pipefail
cd "$(dirname "$0")/web"

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "confday needs Node.js and npm to install its front-end libraries (infra/web/package.json):" >&2
  echo "install them first, e.g. 'apt-get install nodejs npm' on Debian." >&2
  exit 1
fi

stamp=node_modules/.confday-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "Installing front-end libraries from the npm registry (infra/web/package-lock.json)..."
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
fi

# What the pages load, with each library's licence beside it. Nothing else of node_modules is served.
vendor=../../webroot/vendor
mkdir -p "$vendor"
place() { # <file in node_modules> <name under webroot/vendor>
  if ! cmp -s "node_modules/$1" "$vendor/$2"; then cp "node_modules/$1" "$vendor/$2"; fi
}
place jsqr/dist/jsQR.js jsQR.js
place jsqr/LICENSE jsQR.LICENSE.txt
place hls.js/dist/hls.min.mjs hls.min.mjs
place hls.js/LICENSE hls.LICENSE.txt
