# Shared helpers for the CLI tests: `expect_status N cmd...` runs a command and checks its exit
# status; failures are counted and reported at the end by `finish`.
set -u
JZ=$1
SRC=$2
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
failures=0
PLAN="$SRC/plans/chayu-2016.toml"

fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

# expect_status STATUS CMD... ; stdout in $TMP/out, stderr in $TMP/err
expect_status() {
  local want=$1
  shift
  "$@" >"$TMP/out" 2>"$TMP/err"
  local got=$?
  if [ "$got" != "$want" ]; then
    fail "exit $got, expected $want: $*"
    sed 's/^/  stderr: /' "$TMP/err" | head -5 >&2
  fi
}

# An error is one line on stderr, naming the problem, no stack trace.
expect_one_line_error() {
  local n
  n=$(wc -l <"$TMP/err")
  [ "$n" = 1 ] || fail "expected one line on stderr, got $n: $(head -3 "$TMP/err")"
  grep -q "$1" "$TMP/err" || fail "stderr does not mention '$1': $(cat "$TMP/err")"
}

check() {  # check DESCRIPTION TEST-EXPRESSION...
  local what=$1
  shift
  "$@" || fail "$what"
}

finish() {
  if [ "$failures" -gt 0 ]; then
    echo "$failures failure(s)" >&2
    exit 1
  fi
  echo "ok"
}
