#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests when it is missing (CI machines start without it). Playwright's
# own browser download cannot reach its servers here; Debian's package can. Serialised with flock: test classes may
# ask at once.
set -euo pipefail
exec 9>/tmp/portcustoms-chromium-install.lock
flock 9
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" != "0" ]; then
  echo "Chromium is missing and this user cannot install it: run 'apt-get install -y chromium' as root." >&2
  exit 3
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium >/dev/null
/usr/bin/chromium --version
