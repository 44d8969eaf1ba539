#!/usr/bin/env bash
# Rebuilds eng/local-packages/*.nupkg from the nuspecs in this folder.
# The shims stand in for packages our NuGet feed lacks (see each nuspec's description);
# NuGet.config maps their ids to the local-shims source. Commit the resulting .nupkg files.
set -euo pipefail
cd "$(dirname "$0")"
out=../local-packages
mkdir -p "$out"
for spec in *.nuspec; do
  dotnet pack shim.csproj -nologo -p:NuspecFile="$spec" -o "$out"
done
rm -rf bin obj
