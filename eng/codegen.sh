#!/usr/bin/env bash
# Writes Wolverine's handler code (Internal/Generated) for every service that uses messaging, or with --check fails
# when the committed code is stale. Services load that code statically (no Roslyn at run time), so it must be current.
# No server is needed: the connection strings below are never dialled, only parsed.
set -euo pipefail
cd "$(dirname "$0")/.."
check=false
[ "${1:-}" = "--check" ] && check=true

services=()
for program in Services/*/Program.cs; do
  grep -q "RunServiceAsync" "$program" && services+=("$(dirname "$program")")
done

export ConnectionStrings__messaging="amqp://codegen:codegen@127.0.0.1:1"
export ConnectionStrings__cache="127.0.0.1:1,abortConnect=false"
for dir in "${services[@]}"; do
  name=$(basename "$dir" | tr '[:upper:]' '[:lower:]')
  export "ConnectionStrings__${name}db=Host=127.0.0.1;Port=1;Database=${name}db;Username=codegen;Password=codegen"
done

for dir in "${services[@]}"; do
  echo "codegen: $dir"
  # Without the old code first: a stale file may not even compile against the handlers it was written for.
  rm -rf "$dir/Internal/Generated"
  dotnet build "$dir" -v:q -nologo -clp:ErrorsOnly
  (cd "$dir" && dotnet run --no-build -- codegen write >/dev/null)
done

if $check; then
  if ! git diff --exit-code --stat -- 'Services/*/Internal/Generated' || [ -n "$(git status --porcelain -- 'Services/*/Internal/Generated')" ]; then
    echo "Wolverine's generated code is stale: run eng/codegen.sh and commit Services/*/Internal/Generated." >&2
    exit 1
  fi
  echo "codegen: generated code is current"
fi
