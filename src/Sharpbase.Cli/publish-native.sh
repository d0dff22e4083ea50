#!/usr/bin/env bash
# Publishes the native executable (Native AOT, warnings as errors) to .build/native/Sharpbase.Cli
# for this machine's architecture, installing a C toolchain and zlib1g-dev with apt-get when they are
# missing (as root). Used by ./test.sh and bench/sharpbase.sh; extra arguments go to dotnet publish.
set -uo pipefail
cd "$(dirname "$0")/../.."
if { ! command -v clang >/dev/null 2>&1 && ! command -v gcc >/dev/null 2>&1; } || [ ! -e /usr/include/zlib.h ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clang zlib1g-dev || exit 1
  else
    echo "Native AOT needs a C toolchain (clang or gcc) and zlib1g-dev: install them" >&2
    exit 1
  fi
fi
rid="linux-$(uname -m | sed 's/x86_64/x64/;s/aarch64/arm64/')"
exec dotnet publish src/Sharpbase.Cli -c Release -r "$rid" -o .build/native "$@"
