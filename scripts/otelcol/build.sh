#!/usr/bin/env bash
# Builds the Collector described by builder-config.yaml with the Collector
# builder from the Go module proxy, once, into a cache outside the repository.
# Prints the binary's path. The cache key is the configuration's hash, so a
# changed configuration builds a new binary.
#   build.sh              build if needed, print the path
#   build.sh --print-path print the path if built, else exit 1 (builds nothing)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
builder_version="v0.161.0"
cache="${PERMISO_OTELCOL_CACHE:-$HOME/.cache/permiso-otelcol}"
key="$(sha256sum "$here/builder-config.yaml" | cut -c1-12)"
out="$cache/$builder_version-$key"
binary="$out/otelcol-permiso"

if [ -x "$binary" ]; then
  echo "$binary"
  exit 0
fi
[ "${1:-}" = "--print-path" ] && exit 1

command -v go >/dev/null || { echo "build.sh: go is not installed; the Collector cannot be built" >&2; exit 1; }
mkdir -p "$out" "$cache/bin"
GOBIN="$cache/bin" go install "go.opentelemetry.io/collector/cmd/builder@$builder_version" >&2
sed "s|OUTPUT_PATH|$out/src|" "$here/builder-config.yaml" > "$out/builder-config.yaml"
"$cache/bin/builder" --config="$out/builder-config.yaml" >&2
mv "$out/src/otelcol-permiso" "$binary.tmp"
mv "$binary.tmp" "$binary"
echo "$binary"
