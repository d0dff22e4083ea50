# The server under test, as an array to run: the native executable ./test.sh publishes
# (SHARPBASE_EXECUTABLE), else the build's Sharpbase.Cli.dll on the dotnet host. Sourced by the
# suites from the repository root.
if [ -n "${SHARPBASE_EXECUTABLE:-}" ]; then
  sharpbase=("$SHARPBASE_EXECUTABLE")
else
  sharpbase=(dotnet "$(pwd)/src/Sharpbase.Cli/bin/Release/net10.0/Sharpbase.Cli.dll")
fi
[ -f "${sharpbase[-1]}" ] || { echo "${sharpbase[-1]} is missing: build first" >&2; exit 1; }
echo "server under test: ${sharpbase[*]}"
