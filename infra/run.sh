#!/usr/bin/env bash
# The README's run command: compiles and starts confday on http://localhost:8080.
# Without CONFDAY_DATABASE_URL it starts an embedded PostgreSQL with its data in ./data.
set -euo pipefail
cd "$(dirname "$0")/.."
exec mvn -B -q compile exec:java "$@"
