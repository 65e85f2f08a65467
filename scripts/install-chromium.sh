#!/usr/bin/env bash
# Installs Debian's Chromium, which the report's browser test (ReportBrowserTest) renders benchmark reports in.
# Without it that test is skipped with a printed notice. Run as root (or with sudo) on Debian or Ubuntu.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  echo "chromium is installed: $(chromium --version 2>/dev/null)"
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq || true
apt-get install -y -qq chromium >/dev/null
echo "installed $(chromium --version 2>/dev/null)"
