# Sharpbase as the benchmark runs it, as an array (sourced by bench/*.sh from the repository root),
# in one of its two deployment forms (README, "Deploying"): the native executable `dotnet publish`
# makes, or with JIT=1 the framework-dependent build (`-p:PublishAot=false`) on the .NET runtime.
if [ "${JIT:-0}" = 1 ]; then
  dotnet publish src/Sharpbase.Cli -c Release -p:PublishAot=false -o .build/jit -nologo -v q >/dev/null
  sharpbase=(dotnet "$(pwd)/.build/jit/Sharpbase.Cli.dll")
  export SHARPBASE_BENCH_KIND="the framework-dependent build on the .NET runtime (JIT with dynamic PGO; JIT=1)"
else
  src/Sharpbase.Cli/publish-native.sh -nologo -v q >/dev/null
  sharpbase=("$(pwd)/.build/native/Sharpbase.Cli")
  export SHARPBASE_BENCH_KIND="the native executable (Native AOT, as deployed)"
fi
