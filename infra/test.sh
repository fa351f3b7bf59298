#!/usr/bin/env bash
# The README's test command: installs what the tests need when it is missing (Debian's
# Chromium and its driver for the browser tests; nginx and ffmpeg for the streaming tests), then runs the whole suite with Maven.
# PostgreSQL needs no install: the tests start an embedded server from Maven Central binaries.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "Need root (or sudo) to install: $*" >&2; exit 1; fi
}

if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  echo "Installing Debian's chromium and chromium-driver for the browser tests..."
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver
fi
if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ] || ! command -v ffmpeg >/dev/null; then
  echo "Installing Debian's nginx-light and ffmpeg for the streaming tests..."
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light ffmpeg
fi
for tool in java mvn; do
  command -v "$tool" >/dev/null || { echo "Missing $tool: install a JDK 17 and Maven first." >&2; exit 1; }
done

export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
exec mvn -B verify "$@"
