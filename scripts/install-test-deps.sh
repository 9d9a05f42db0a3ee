#!/usr/bin/env bash
# Install what the tests need: the package with its test extras in .venv, and Debian's
# chromium for the browser tests. The README's test command runs pytest after it.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/pip install --quiet --disable-pip-version-check -e '.[test]'
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "The browser tests drive Debian's chromium: run 'sudo apt-get install chromium' and try again." >&2
    exit 1
  fi
fi
