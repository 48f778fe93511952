#!/usr/bin/env bash
# C# (P/Invoke) suite under Mono: compiles the library, *.cs (as netstandard-compatible C# 7 with
# -warnaserror), the tests, the HttpListener receiver and, against stubs, the ASP.NET Core
# example; runs the tests against the real libhooksig.so. Called by bindings-c/test.sh with
# HOOKSIG_LIB set. Prints `N passed, N failed`.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
export HOOKSIG_LIB=${HOOKSIG_LIB:-$root/target/release/libhooksig.so}
[ -f "$HOOKSIG_LIB" ] || cargo build --release -p hooksig-c --manifest-path "$root/Cargo.toml"
out=$root/target/hooksig-dotnet
rm -rf "$out"
mkdir -p "$out"

# The library: one type per file (Verifier.cs, Webhook.cs, ReplayGuard.cs, ...; every P/Invoke
# declaration in NativeMethods.cs), the receiver policy (Receiver.cs and its types) and the
# HttpListener adapter (WebhookListener.cs); tests/ is not part of it.
lib_sources=("$here"/*.cs)
mcs -nologo -langversion:7.2 -target:library -warnaserror -doc:"$out/Hooksig.xml" \
  -r:System.Runtime.Serialization.dll -out:"$out/Hooksig.dll" "${lib_sources[@]}"
# Hooksig.AspNetCore (bindings-dotnet-aspnetcore) and its example cannot be built here (no .NET
# SDK): both are type-checked against stubs of the ASP.NET Core types they use, and the package's
# endpoint runs the receiver table on hand-made HttpContext objects (aspnetcore-tests.exe below).
aspnet=$root/bindings-dotnet-aspnetcore
mcs -nologo -langversion:7.2 -target:library -warnaserror -r:"$out/Hooksig.dll" -r:System.Core.dll \
  -out:"$out/Hooksig.AspNetCore.dll" "$aspnet/WebhookEndpoint.cs" "$here/tests/AspNetCoreStubs.cs"
mcs -nologo -langversion:7.2 -target:library -warnaserror -r:"$out/Hooksig.dll" -r:"$out/Hooksig.AspNetCore.dll" \
  -r:System.Core.dll -out:"$out/aspnet-example-typecheck.dll" "$root/examples/dotnet/Program.cs"
mcs -nologo -langversion:7.2 -warnaserror -r:"$out/Hooksig.dll" -r:"$out/Hooksig.AspNetCore.dll" -r:System.Core.dll \
  -out:"$out/aspnetcore-tests.exe" "$aspnet/tests/Main.cs" "$aspnet/tests/AspNetCoreCases.cs" \
  "$here/tests/ReceiverCases.cs" "$here/tests/MiniJson.cs"
mcs -nologo -langversion:7.2 -warnaserror -r:"$out/Hooksig.dll" -r:System.Core.dll \
  -out:"$out/receiver.exe" "$root/examples/dotnet/Listener/ListenerReceiver.cs"
mcs -nologo -langversion:7.2 -warnaserror -r:"$out/Hooksig.dll" -r:System.Core.dll -r:"$out/receiver.exe" \
  -r:System.Runtime.Serialization.dll -out:"$out/tests.exe" "$here/tests/Tests.cs" "$here/tests/MiniJson.cs" "$here/tests/ReceiverCases.cs"
# The demo receiver (demo/receivers), so that a compile error shows here too.
mcs -nologo -langversion:7.2 -warnaserror -r:System.dll -r:System.Core.dll -r:System.Runtime.Serialization.dll \
  -out:"$out/DemoReceiver.exe" "${lib_sources[@]}" "$root/demo/receivers/DemoReceiver.cs"

# Mono finds the native library through LD_LIBRARY_PATH (or beside the .exe).
LD_LIBRARY_PATH="$(dirname "$HOOKSIG_LIB")${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
  mono --debug "$out/tests.exe" "$root/tests/vectors" "$here/Hooksig.csproj" "$root/tests/bad-inputs/cases.json" \
    "$root/tests/receivers/cases.json"
LD_LIBRARY_PATH="$(dirname "$HOOKSIG_LIB")${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
  mono --debug "$out/aspnetcore-tests.exe" "$root/tests/receivers/cases.json"
