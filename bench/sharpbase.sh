# Sharpbase as the benchmark runs it, as an array (sourced by bench/*.sh from the repository root):
# the native executable `dotnet publish` makes, as it is deployed (README, "Deploying"); with JIT=1,
# the build's Sharpbase.Cli.dll on the dotnet host instead.
if [ "${JIT:-0}" = 1 ]; then
  dotnet build src/Sharpbase.Cli -c Release -nologo -v q >/dev/null
  sharpbase=(dotnet "$(pwd)/src/Sharpbase.Cli/bin/Release/net10.0/Sharpbase.Cli.dll")
  export SHARPBASE_BENCH_KIND="Sharpbase.Cli.dll on the JIT (JIT=1)"
else
  src/Sharpbase.Cli/publish-native.sh -nologo -v q >/dev/null
  sharpbase=("$(pwd)/.build/native/Sharpbase.Cli")
  export SHARPBASE_BENCH_KIND="the native executable (Native AOT, as deployed)"
fi
