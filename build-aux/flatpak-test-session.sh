# Sourced by build-aux/flatpak-test inside `xvfb-run dbus-run-session`, with
# HOME and XDG_RUNTIME_DIR in the test's folder. Drives the sandboxed Carnet
# with real key presses (xdotool, like a user at the keyboard) and follows it
# through the pages with its own debug log (G_MESSAGES_DEBUG=carnet-ui:
# "Showing page NAME"; carnet-secrets: how the keyring backend started).
# Nothing here is compiled into Carnet.
# shellcheck shell=bash

var=$HOME/.var/app/$app_id

# Starts the sandboxed Carnet; its log goes to $out/app-$1.log.
start_app () {
  local tag=$1
  shift
  : > "$out/app-$tag.log"
  # shellcheck disable=SC2086
  flatpak run "--${scope:-user}" --filesystem="$work/ca:ro" \
    --env=G_MESSAGES_DEBUG="carnet-ui carnet-secrets carnet-guard" --env=LANG=fr_FR.UTF-8 --env=LANGUAGE=fr \
    "$@" "$app_id" ${app_url_args[@]+"${app_url_args[@]}"} --ca-file "$work/ca/ca.pem" \
    >> "$out/app-$tag.log" 2>&1 &
  app_pid=$!
  log=$out/app-$tag.log
  shown=0
}

# Waits until the app shows page $1 (after any it showed before); 0 when it did.
# The welcome page has checked the address (then « Se connecter » has the focus).
wait_accepted () {
  local t=$((${1:-30} * 10))
  while [ $t -gt 0 ]; do
    grep -q "The ENT address is accepted" "$log" && return 0
    kill -0 "$app_pid" 2>/dev/null || { echo "(Carnet exited)" >&2; return 1; }
    sleep 0.1
    t=$((t - 1))
  done
  echo "(the address was not accepted after ${1:-30} s)" >&2
  return 1
}

wait_page () {
  local page=$1 limit=${2:-30}
  local t=$((limit * 10))
  while [ $t -gt 0 ]; do
    if grep -n "Showing page " "$log" | awk -F: -v n="$shown" '$1 > n' |
         grep -q "Showing page $page\$"; then
      shown=$(grep -n "Showing page $page\$" "$log" | tail -n1 | cut -d: -f1)
      return 0
    fi
    kill -0 "$app_pid" 2>/dev/null || { echo "(Carnet exited)" >&2; return 1; }
    sleep 0.1
    t=$((t - 1))
  done
  echo "(no page $page after ${limit} s; pages shown: $(grep -o 'Showing page .*' "$log" | cut -d' ' -f3 | tr '\n' ' '))" >&2
  return 1
}

# Carnet's window: the visible one that is not the portal's.
carnet_window () {
  local w
  for w in $(xdotool search --onlyvisible --name '.' 2>/dev/null); do
    case $(xdotool getwindowname "$w" 2>/dev/null) in
      xdg-desktop-portal*) ;;
      *) printf '%s\n' "$w" ;;
    esac
  done | tail -n1
}

keys () {
  local w
  w=$(carnet_window)
  [ -n "$w" ] && xdotool windowfocus --sync "$w" 2>/dev/null || true
  sleep 0.3
  xdotool "$@"
  sleep 0.5
}

type_text () {
  keys type --delay 20 -- "$1"
}

screenshot () {
  sleep 1
  xwd -root -silent | convert xwd:- "$out/$1.png"
  echo "     screenshot: $out/$1.png" >&2
}

quit_app () {
  keys key ctrl+q
  local t=100
  while kill -0 "$app_pid" 2>/dev/null && [ $t -gt 0 ]; do sleep 0.1; t=$((t - 1)); done
  if kill -0 "$app_pid" 2>/dev/null; then
    fail "Carnet did not quit on Ctrl+Q"
    kill "$app_pid" 2>/dev/null || true
  fi
  wait "$app_pid" 2>/dev/null || true
}

check () {  # <description> <command...>
  local what=$1
  shift
  if "$@"; then pass "$what"; else fail "$what"; fi
}

# Every file under $1 that holds $2 (binary-safe), one per line.
files_holding () {
  grep -rlaF -- "$2" "$1" 2>/dev/null || true
}

log_in_by_hand () {
  # Welcome page: the address given is checked at once; once it is
  # accepted « Se connecter » has the focus.
  wait_page welcome 30 || return 1
  wait_accepted 30 || return 1
  keys key Return
  wait_page login 20 || return 1
  type_text karim.benali
  keys key Return                  # on to the password
  keys key Tab Tab space           # past its peek button: « Se souvenir de moi » on
  keys key shift+Tab shift+Tab     # back to the password
  type_text Cartable2026
  screenshot "$1-login"
  keys key Return
  wait_page account 30
}

in_session () {
  work=$1
  out=$work/out
  failures=0
  printf 'carnet-flatpak-test-keyring' | gnome-keyring-daemon --unlock --components=secrets --daemonize >/dev/null

  mkdir -p "$work/ca" "$work/ent"
  cp "$top/tests/data/ca.pem" "$work/ca/ca.pem"
  "$build/tests/ent-server/carnet-test-ent" --state-dir "$work/ent" \
    --cert "$top/tests/data/server.pem" --key "$top/tests/data/server-key.pem" \
    > "$work/ent/server.out" 2>&1 &
  server=$!
  url=""
  for _ in $(seq 100); do
    url=$(sed -n 's/^URL //p' "$work/ent/server.out" | head -n1)
    [ -n "$url" ] && break
    sleep 0.1
  done
  [ -n "$url" ] || { fail "the test ENT did not start"; return 1; }
  say "Test ENT at $url"
  app_url_args=(--ent-url "$url")

  # 1. By hand, with "Se souvenir de moi".
  say "Run 1: log in as karim.benali with « Se souvenir de moi »"
  start_app remember
  if log_in_by_hand remember; then
    pass "sandboxed login reached the account page"
    screenshot remember-account
  else
    fail "sandboxed login did not reach the account page"
    screenshot remember-failed
  fi
  quit_app
  check "the sandbox saw /.flatpak-info (runs as a Flatpak)" \
    grep -q "^\[Application\]" <(flatpak run --user --command=cat "$app_id" /.flatpak-info)

  webkit_sandbox_checks

  # 2. Again: logged in from the keyring, without typing.
  say "Run 2: start again, logged in from the keyring"
  start_app keyring
  if wait_page account 30; then
    pass "logged in from the keyring (Secret portal) without typing"
    screenshot keyring-account
  else
    fail "not logged in from the keyring"
    screenshot keyring-failed
  fi
  quit_app

  check "the secret is in ~/.var/app/$app_id/data/keyrings/" \
    test -s "$var/data/keyrings/default.keyring"
  local holders
  holders=$(files_holding "$HOME" Cartable2026)
  check "the password is in no file in plain text (found in: ${holders:-none})" test -z "$holders"
  holders=$(find "$HOME" -path "$HOME/.local/share/flatpak" -prune -o -name '*.keyring' -print | grep -v "^$var/data/keyrings/" |
              grep -v "^$HOME/.local/share/keyrings/" || true)
  check "no keyring file outside the app's data (others: ${holders:-none})" test -z "$holders"
  check "settings went to the sandbox's keyfile" \
    grep -q "ent-url='${url#https://}'" "$var/config/glib-2.0/settings/keyfile"
  check "no dconf database written for Carnet in the real home" \
    test ! -e "$HOME/.config/dconf/user"

  # 3. Shared machine, set by the lab technician for every user of the
  #    system-wide installation.
  say "Run 3: shared-machine mode set with flatpak override"
  shared_machine_run
  return "$failures"
}

# WebKit inside Flatpak cannot use bubblewrap itself: it starts its web
# process with `flatpak-spawn --sandbox --no-network ...` (the Flatpak
# portal's Spawn, org.freedesktop.portal.Flatpak, which the session bus
# activates from the host's flatpak), and only when the probe it runs first,
# `flatpak-spawn --sandbox --sandbox-expose-path-ro-try=/this_path_doesnt_exist
# echo`, succeeds (WebKit's ProcessLauncherGLib.cpp, isFlatpakSpawnUsable);
# otherwise WebKitGTK 2.50 runs the web process without a sandbox of its own.
webkit_sandbox_checks () {
  local port=${url##*:}
  check "Carnet in the sandbox is built with WebKitGTK 6.0 (the EduConnect login's web view)" \
    grep -q 'libwebkitgtk-6.0' <(flatpak run --user --command=sh "$app_id" -c 'ldd /app/bin/carnet')
  check "WebKit's sandbox is usable here: flatpak-spawn --sandbox through the Flatpak portal (WebKit's own probe)" \
    flatpak run --user --command=flatpak-spawn "$app_id" \
      --sandbox --sandbox-expose-path-ro-try=/this_path_doesnt_exist echo
  # The web process's sandbox has no network; the same sandbox with it
  # reaches the test ENT (so the first check can fail).
  check "a sandbox spawned as WebKit spawns its web process reaches no network" \
    bash -c "! flatpak run --user --command=flatpak-spawn '$app_id' --sandbox --no-network \
               bash -c 'exec 3<>/dev/tcp/127.0.0.1/$port' 2>/dev/null"
  check "(the same sandbox with the network reaches the test ENT)" \
    flatpak run --user --command=flatpak-spawn "$app_id" --sandbox \
      bash -c "exec 3<>/dev/tcp/127.0.0.1/$port"
}

log_in_shared () {
  # No « Se souvenir de moi » on a shared machine: login, Enter, password, Enter.
  # The address is preset and locked; once it is accepted « Se connecter »
  # has the focus.
  wait_page welcome 30 || return 1
  wait_accepted 30 || return 1
  keys key Return
  wait_page login 20 || return 1
  type_text karim.benali
  keys key Return
  type_text Cartable2026
  screenshot shared-login
  keys key Return
  wait_page account 30
}

# How many requests the test ENT received on a path (its remote control).
ent_count () {
  python3 "$top/tests/ent-server/count-requests.py" "$url" "$1" "$top/tests/data/ca.pem"
}

# Run 4, in run 3's settings: the display is lost while a parent is logged in
# (the sandboxed Carnet on an X server of its own, which is then killed). GTK
# ends Carnet at once; carnet-logout-guard, the sandbox's main process, must
# tell the ENT. Nothing in Carnet knows it is tested.
display_lost_run () {
  say "Run 4: shared machine, the display lost while logged in"
  local saved_display=$DISPLAY xvfb_pid display="" before after rc=0
  Xvfb -displayfd 1 -screen 0 1024x768x24 -nolisten tcp > "$work/display4" 2>/dev/null &
  xvfb_pid=$!
  for _ in $(seq 300); do
    display=$(head -n1 "$work/display4" 2>/dev/null || true)
    [ -n "$display" ] && break
    sleep 0.1
  done
  if [ -z "$display" ]; then fail "display lost: no X server of its own"; return; fi
  export DISPLAY=":$display"
  app_url_args=()
  start_app display-lost
  if log_in_shared; then
    pass "display lost: logged in on a display of its own"
  else
    fail "display lost: did not reach the account page"
  fi
  before=$(ent_count /auth/logout)
  kill "$xvfb_pid"
  wait "$xvfb_pid" 2>/dev/null || true
  export DISPLAY=$saved_display
  for _ in $(seq 300); do kill -0 "$app_pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$app_pid" 2>/dev/null; then
    fail "display lost: the sandbox still runs 30 s after the display went"
    kill "$app_pid" 2>/dev/null || true
  fi
  wait "$app_pid" 2>/dev/null || rc=$?
  after=$(ent_count /auth/logout)
  echo "     flatpak run ended with status $rc; the ENT saw $((after - before)) logout(s)" >&2
  check "display lost: the guard in the sandbox logged the session out of the ENT" \
    test "$after" -eq $((before + 1))
  check "display lost: the guard said so" grep -q "The ENT was told about the logout" "$log"
}

shared_machine_run () {
  # How a technician presets and locks Carnet's settings for every user of a
  # system-wide Flatpak. Inside the sandbox GLib uses its keyfile backend
  # (~/.var/app/ID/config/glib-2.0/settings/keyfile), whose defaults and locks
  # come from /etc/glib-2.0/settings: the runtime's own /etc, which flatpak
  # does not let an override replace, and XDG_CONFIG_HOME cannot be moved
  # either (both shown below). What works is the lab's dconf database, the
  # same keyfile + locks as for a native install, compiled, and given to the
  # app with `flatpak override --system`: read access to it and to dconf,
  # and a dconf profile naming it. GLib then uses dconf inside the sandbox,
  # and the locked keys are not writable.
  # FLATPAK_SYSTEM_DIR keeps `flatpak override --system` in this test's folder.
  # The app and its runtime are installed system-wide for this run, from
  # the same repositories; FLATPAK_SYSTEM_DIR keeps that "system"
  # installation and `flatpak override --system` in this test's folder.
  export FLATPAK_SYSTEM_DIR=$work/system
  local lab=$work/lab host=${url#https://}
  mkdir -p "$FLATPAK_SYSTEM_DIR"
  flatpak --system remote-add --no-gpg-verify --if-not-exists debian-local "file://$(runtime_dir)/repo"
  flatpak --system remote-add --no-gpg-verify --if-not-exists carnet-local "file://$work/app-repo"
  flatpak --system install -y --noninteractive debian-local org.debian.Platform//12 >/dev/null
  flatpak --system install -y --noninteractive carnet-local "$app_id" >/dev/null
  scope=system
  mkdir -p "$FLATPAK_SYSTEM_DIR" "$lab/local.d/locks" "$lab/probe/glib-2.0/settings"
  cat > "$lab/local.d/00-carnet" <<EOK
[io/github/carnet/Carnet]
ent-url='$host'
shared-machine=true
EOK
  printf '/io/github/carnet/Carnet/ent-url\n/io/github/carnet/Carnet/shared-machine\n' > "$lab/local.d/locks/carnet"
  dconf compile "$lab/local" "$lab/local.d"
  printf 'user-db:user\nfile-db:%s\n' "$lab/local" > "$lab/profile"

  # For the record, what does not work: a host folder over the sandbox's
  # /etc/glib-2.0/settings, and XDG_CONFIG_HOME pointing elsewhere.
  cp "$lab/local.d/00-carnet" "$lab/probe/glib-2.0/settings/defaults"
  echo "     /etc/glib-2.0/settings with --filesystem=/etc/glib-2.0/settings: $(flatpak run --user \
    --filesystem=/etc/glib-2.0/settings:ro --command=sh "$app_id" -c 'ls /etc/glib-2.0/settings 2>&1 | head -n1')" >&2
  echo "     XDG_CONFIG_HOME with --env=XDG_CONFIG_HOME=$lab/probe: $(flatpak run --user \
    --filesystem="$lab/probe:ro" --env=XDG_CONFIG_HOME="$lab/probe" --command=sh "$app_id" -c 'echo $XDG_CONFIG_HOME')" >&2

  local override=(--filesystem="$lab:ro" --filesystem=xdg-run/dconf --filesystem=~/.config/dconf:ro
                  --talk-name=ca.desrt.dconf --env=DCONF_USER_CONFIG_DIR=.config/dconf
                  --env=DCONF_PROFILE="$lab/profile")
  flatpak override --system "${override[@]}" "$app_id"
  echo "     technician: flatpak override --system ${override[*]} $app_id" >&2

  # Start from an empty app folder, as a new pupil's account would.
  [ ! -d "$var" ] || mv "$var" "$var.runs-1-2"
  local dconf_before
  dconf_before=$(md5sum "$HOME/.config/dconf/user" 2>/dev/null || true)
  app_url_args=()
  start_app shared
  if log_in_shared; then
    pass "shared machine: logged in on the locked, preset address (no --ent-url given), account page shown"
    screenshot shared-account
  else
    fail "shared machine: did not reach the account page"
    screenshot shared-failed
  fi
  quit_app

  local what holders
  for what in karim.benali Cartable2026 oneSessionId XSRF-TOKEN; do
    holders=$(files_holding "$var" "$what")
    check "shared machine: nothing under ~/.var/app/$app_id holds \"$what\" (${holders:-none})" test -z "$holders"
  done
  holders=$(find "$var" -name '*.keyring' 2>/dev/null)
  check "shared machine: no keyring under ~/.var/app/$app_id (${holders:-none})" test -z "$holders"
  check "shared machine: no settings written to the app's keyfile" \
    test ! -e "$var/config/glib-2.0/settings/keyfile"
  check "shared machine: nothing written to the user's dconf database" \
    test "$(md5sum "$HOME/.config/dconf/user" 2>/dev/null || true)" = "$dconf_before"
  echo "     left under ~/.var/app/$app_id: $(cd "$var" 2>/dev/null && find . -type f ! -path './cache/fontconfig/*' | tr '\n' ' ') (+ fontconfig caches)" >&2

  display_lost_run
  flatpak override --system --reset "$app_id"
  scope=user
}
