#!/usr/bin/env bash
# `make dist-dotnet`: the .NET package in dist/, Hooksig.VERSION.nupkg (bindings-dotnet/Hooksig.nuspec:
# lib/net45/Hooksig.dll + its XML docs, runtimes/linux-x64/native/libhooksig.so, the licences),
# packed by Debian's Mono-based `nuget`. Then consumed as a user would, from the package and not
# from the build folder: `nuget install` from dist/ as a local feed into a fresh folder, the C#
# test suite compiled against the installed Hooksig.dll and run under Mono with the package's
# native library, where no Rust is on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
command -v nuget >/dev/null && command -v mcs >/dev/null || bash scripts/install-deps.sh

cargo build --release -p hooksig-c
version=$(cargo pkgid -p hooksig-c | sed 's/.*[#@]//')
grep -q "<Version>$version</Version>" bindings-dotnet/Hooksig.csproj ||
  { echo "bindings-dotnet/Hooksig.csproj <Version> is not $version" >&2; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hooksig-dist-dotnet.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
out=$tmp/build
mkdir -p "$out"
mcs -nologo -langversion:7.2 -target:library -warnaserror -doc:"$out/Hooksig.xml" \
  -r:System.Runtime.Serialization.dll -out:"$out/Hooksig.dll" bindings-dotnet/*.cs
cp bindings-dotnet/Hooksig.nuspec target/release/libhooksig.so LICENSE-MIT LICENSE-APACHE "$out/"
mkdir -p dist
rm -f dist/Hooksig.*.nupkg
(cd "$out" && nuget pack Hooksig.nuspec -NoPackageAnalysis -NonInteractive -OutputDirectory "$root/dist" \
  -Properties "version=$version" >/dev/null)
nupkg=dist/Hooksig.$version.nupkg
unzip -l "$nupkg" | awk '{print $4}' | grep -qx 'runtimes/linux-x64/native/libhooksig.so'
unzip -l "$nupkg" | awk '{print $4}' | grep -qx 'LICENSE-APACHE'
echo "wrote $nupkg"

echo "== the package consumed from a local feed, without Rust"
(
  export PATH=/usr/bin:/bin
  if command -v cargo >/dev/null || command -v rustc >/dev/null; then echo "Rust on PATH" >&2; exit 1; fi
  use=$tmp/consumer
  mkdir -p "$use"
  nuget install Hooksig -Version "$version" -Source "$root/dist" -OutputDirectory "$use/packages" \
    -NoCache -NonInteractive >/dev/null
  pkg=$use/packages/Hooksig.$version
  dll=$pkg/lib/net45/Hooksig.dll
  native=$pkg/runtimes/linux-x64/native
  [ -f "$dll" ] && [ -f "$native/libhooksig.so" ] || { echo "the installed package lacks its files" >&2; exit 1; }
  mcs -nologo -langversion:7.2 -warnaserror -r:"$dll" -r:System.Core.dll -out:"$use/receiver.exe" \
    examples/dotnet/Listener/ListenerReceiver.cs
  mcs -nologo -langversion:7.2 -warnaserror -r:"$dll" -r:System.Core.dll -r:"$use/receiver.exe" -r:System.Runtime.Serialization.dll \
    -out:"$use/tests.exe" bindings-dotnet/tests/Tests.cs bindings-dotnet/tests/MiniJson.cs \
    bindings-dotnet/tests/ReceiverCases.cs
  cp "$dll" "$use/"
  LD_LIBRARY_PATH=$native mono "$use/tests.exe" "$root/tests/vectors" "$root/bindings-dotnet/Hooksig.csproj" \
    "$root/tests/bad-inputs/cases.json" "$root/tests/receivers/cases.json" | tail -n 1
)
echo "dist-dotnet: $nupkg installed from a local feed and passed the C# suite under Mono without Rust"
