#!/usr/bin/env bash
# The demo: on a fresh machine, installs what is missing where it can (MariaDB from the OS packages
# when run as root; otherwise it says what to install), starts two throwaway MariaDB servers and the
# stand-in Flyokai cluster, loads a small realistic data plane into a Shopware-like root, moves it to
# the cluster and back with Start-DataMigration (through the real PowerShell engine, no pwsh needed),
# and prints each step. Everything it starts is removed when it ends.
set -euo pipefail
cd "$(dirname "$0")"

have_mariadb() { command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ]; }
if ! have_mariadb && [ -z "${MM_TEST_SHOPWARE:-}" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "demo: installing MariaDB from the OS packages (mariadb-server)..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mariadb-server mariadb-client >/dev/null
  else
    echo "demo: MariaDB server binaries are missing. Install them, then rerun:" >&2
    echo "        sudo apt-get install -y mariadb-server      (Debian/Ubuntu)" >&2
    echo "        sudo dnf install -y mariadb-server          (Fedora/RHEL)" >&2
    exit 2
  fi
fi
if ! command -v dotnet >/dev/null 2>&1; then
  echo "demo: the .NET SDK 10 is missing: https://dotnet.microsoft.com/download (or: apt-get install -y dotnet-sdk-10.0)" >&2
  exit 2
fi

dotnet build tools/MarketplaceMigration.Host -c Release -nologo -v quiet >/dev/null
exec dotnet tools/MarketplaceMigration.Host/bin/Release/net10.0/mmhost.dll demo
