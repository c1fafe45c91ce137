#!/usr/bin/env bash
# The display of a shared machine is lost while a parent is logged in (the X
# server ends: a crash, a lab's session killed). GTK then ends Carnet at once
# (_exit(1): nothing of Carnet's own runs). The real carnet, as installed
# for a lab: shared-machine=true in its settings, started without any test
# option but --ent-url and --ca-file, runs under carnet-logout-guard by
# itself; logged in with real key presses (xdotool) on a private Xvfb, which
# is then killed. The test ENT must see the logout, and the guard must end.
#   display-loss.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1
top=$2

tmp=$(mktemp -d "${TMPDIR:-/tmp}/carnet-display-loss.XXXXXX")
server="" xvfb="" app=""
cleanup () {
  # After a failure: the guard at once (its Carnet goes with the display).
  [ -n "$app" ] && kill -KILL "$app" 2>/dev/null || true
  for pid in $xvfb $server; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
fail () {
  echo "not ok - $*"
  echo "# --- Carnet's log"; sed 's/^/# /' "$tmp/app.log" 2>/dev/null || true
  exit 1
}

command -v xdotool >/dev/null || fail "xdotool is missing (build-aux/dev installs it)"

# The test ENT, with the letter's family.
mkdir -p "$tmp/state"
"$build/tests/ent-server/carnet-test-ent" --state-dir "$tmp/state" \
  --cert "$top/tests/data/server.pem" --key "$top/tests/data/server-key.pem" > "$tmp/server.out" &
server=$!
url=""
for _ in $(seq 300); do
  url=$(sed -n 's/^URL //p' "$tmp/server.out" | head -n1)
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || fail "the test ENT did not start"

# How many requests the test ENT received on a path (its remote control).
count () {
  python3 "$top/tests/ent-server/count-requests.py" "$url" "$1" "$top/tests/data/ca.pem"
}

# A private display: the one that will be lost.
Xvfb -displayfd 1 -screen 0 1024x768x24 -nolisten tcp > "$tmp/display" 2> "$tmp/xvfb.log" &
xvfb=$!
display=""
for _ in $(seq 300); do
  display=$(head -n1 "$tmp/display" 2>/dev/null || true)
  [ -n "$display" ] && break
  sleep 0.1
done
[ -n "$display" ] || fail "Xvfb did not start"
export DISPLAY=":$display"

# A lab's settings: shared machine (the keyfile backend, in this test's HOME).
export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/home/.config"
mkdir -p "$XDG_CONFIG_HOME/glib-2.0/settings"
printf '[io/github/carnet/Carnet]\nshared-machine=true\n' > "$XDG_CONFIG_HOME/glib-2.0/settings/keyfile"
export GSETTINGS_BACKEND=keyfile GSETTINGS_SCHEMA_DIR="$build/data"
export CARNET_LOCALEDIR="$build/po" LANG=fr_FR.UTF-8 LANGUAGE=fr
# Running uninstalled: the build tree's guard (installed: LIBEXECDIR).
export CARNET_LOGOUT_GUARD="$build/src/carnet-logout-guard"
unset CARNET_GUARD_FD WAYLAND_DISPLAY

G_MESSAGES_DEBUG="carnet-ui carnet-ent carnet-guard" "$build/src/carnet" --ent-url "$url" \
  --ca-file "$top/tests/data/ca.pem" > "$tmp/app.log" 2>&1 &
app=$!

wait_log () {  # <pattern> <seconds>
  local t=$(($2 * 10))
  while [ $t -gt 0 ]; do
    grep -q -- "$1" "$tmp/app.log" && return 0
    kill -0 "$app" 2>/dev/null || return 1
    sleep 0.1
    t=$((t - 1))
  done
  return 1
}
keys () {
  local w
  w=$(xdotool search --onlyvisible --name '^Carnet$' 2>/dev/null | head -n1 || true)
  [ -n "$w" ] || fail "no Carnet window on $DISPLAY"
  xdotool windowfocus --sync "$w"
  xdotool "$@"
}

# The bounds below only end a test that went wrong: each waits for its
# condition, and a sanitizer build on a busy machine is slow to start.
wait_log "Showing page welcome" 120 || fail "no start page"
# The guard is the process started: Carnet was executed again under it.
[ "$(readlink "/proc/$app/exe")" = "$(readlink -f "$CARNET_LOGOUT_GUARD")" ] ||
  fail "carnet did not run under carnet-logout-guard"
echo "ok 1 - a shared machine's carnet runs under carnet-logout-guard"

# The address from --ent-url is checked; the choices follow it, with the
# focus on « Se connecter ».
wait_log "The ENT address is accepted" 120 || fail "the address was not accepted"
keys key Return
wait_log "Showing page login" 60 || fail "no login page"
keys type --delay 20 -- karim.benali
keys key Return
keys type --delay 20 -- Cartable2026
keys key Return
wait_log "Showing page account" 120 || fail "not logged in"
wait_log "A session is open with" 10 || fail "the guard was not told the session"
before=$(count /auth/logout)
echo "ok 2 - logged in (account page), the guard told the session"

# The display is lost.
kill "$xvfb"
wait "$xvfb" 2>/dev/null || true
xvfb=""
rc=0
# The guard's logout is bounded by 5 s; the rest is the process ending.
for _ in $(seq 600); do kill -0 "$app" 2>/dev/null || break; sleep 0.1; done
kill -0 "$app" 2>/dev/null && fail "Carnet and its guard still run 60 s after the display was lost"
wait "$app" || rc=$?
app=""
[ "$rc" -ne 0 ] || fail "ended with status 0 after losing its display"
after=$(count /auth/logout)
[ "$after" -eq $((before + 1)) ] || fail "the ENT saw $((after - before)) logout(s), not 1"
grep -q "The ENT was told about the logout" "$tmp/app.log" || fail "the guard did not report the logout"
grep -q "Cartable2026" "$tmp/app.log" && fail "the password is in the log"
grep -q "oneSessionId=" "$tmp/app.log" && fail "the session cookie is in the log"
echo "ok 3 - display lost: Carnet ended (status $rc), the guard logged the session out of the ENT"
echo "1..3"
