# Sourced by build-aux/flatpak-test inside `xvfb-run dbus-run-session`, with
# HOME and XDG_RUNTIME_DIR in the test's folder. Drives the sandboxed Carnet
# with real key presses (xdotool, like a user at the keyboard) and follows it
# through the pages with its own debug log (G_MESSAGES_DEBUG=carnet-ui:
# "Showing page NAME"; carnet-secrets: how the keyring backend started).
# Nothing here is compiled into Carnet.
# shellcheck shell=bash

var=$HOME/.var/app/$app_id

# Run as root (CI), the sandbox keeps CAP_SYS_NICE, which no parent's
# session has: WebKit's sched_setscheduler(SCHED_RR) then succeeds for some
# of its threads (its IPC ReceiveQueue), while for the others it asks the
# Realtime portal, whose RTTimeUSecMax is 0 without RealtimeKit (none here;
# xdg-desktop-portal src/realtime.c keeps the interface exported anyway),
# and sets RLIMIT_RTTIME to 0/0 for the whole process (WTF
# RealTimeThreads.cpp realTimeKitMakeThreadRealTime). The kernel's CPU-timer
# check then SIGKILLs Carnet on the real-time thread's first tick
# (posix_cpu_timers_work, SI_KERNEL, seen with the signal_generate
# tracepoint). Without CAP_SYS_NICE, as for a user, no thread is real-time.
no_sys_nice=()
if [ "$(id -u)" -eq 0 ]; then
  no_sys_nice=(setpriv --bounding-set=-sys_nice --inh-caps=-sys_nice --)
fi

# Starts the sandboxed Carnet; its log goes to $out/app-$1.log.
start_app () {
  local tag=$1
  shift
  : > "$out/app-$tag.log"
  # shellcheck disable=SC2086
  ${no_sys_nice[@]+"${no_sys_nice[@]}"} flatpak run "--${scope:-user}" --filesystem="$work/ca:ro" \
    --env=G_MESSAGES_DEBUG="carnet-ui carnet-secrets carnet-guard" --env=LANG=fr_FR.UTF-8 --env=LANGUAGE=fr \
    "$@" "$app_id" ${app_url_args[@]+"${app_url_args[@]}"} ${app_extra_args[@]+"${app_extra_args[@]}"} \
    --ca-file "$work/ca/ca.pem" \
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

# How many pages the web view finished loading since the portal was opened
# (or since the CA file let it go on after WebKit refused the test CA).
pages_loaded () {
  awk '/Opening the EduConnect portal|is verified by the CA file/ { n = 0 }
       /EduConnect page loaded/ { n++ }
       END { print n + 0 }' "$log"
}

wait_pages_loaded () {
  local t=$((30 * 10))
  while [ $t -gt 0 ]; do
    [ "$(pages_loaded)" -ge "$1" ] && return 0
    kill -0 "$app_pid" 2>/dev/null || { echo "(Carnet exited)" >&2; return 1; }
    sleep 0.1
    t=$((t - 1))
  done
  echo "(the web view had loaded $(pages_loaded) page(s), not $1, after 30 s)" >&2
  return 1
}

# Waits until Carnet's window is on the screen (its first page may be logged
# before it is mapped, and keys would go nowhere).
wait_window () {
  local t=$((30 * 10))
  while [ $t -gt 0 ]; do
    [ -n "$(carnet_window)" ] && return 0
    sleep 0.1
    t=$((t - 1))
  done
  echo "(no window of Carnet after 30 s)" >&2
  return 1
}

# Waits until the test ENT received at least $2 requests on path $1.
wait_requests () {
  local path=$1 count=$2 limit=${3:-30}
  local t=$((limit * 2))
  while [ $t -gt 0 ]; do
    [ "$(ent_count "$path")" -ge "$count" ] && return 0
    sleep 0.5
    t=$((t - 1))
  done
  echo "(the test ENT had fewer than $count request(s) on $path after $limit s)" >&2
  return 1
}

# The directory Carnet is given (--directory): the built-in « ENT
# Hauts-de-France » (its name, region and keywords: Lille…) with the test
# ENT's address and wayf, as tests/ui/test-ui-educonnect.c writes it. In
# $work/ca, which the sandbox reads (--filesystem=$work/ca:ro).
write_directory () {
  local callback
  callback=$(jq -rn --arg u "$url/" '$u | @uri')
  jq --arg url "$url" --arg wayf "$url/auth/saml/wayf?callBack=$callback" '
      {platforms: [.platforms[] | select(.id == "hdf")
                   | {id, name, region, keywords, url: $url, wayf: $wayf}]}' \
    "$top/src/ent/platforms.json" > "$work/ca/directory.json"
}

# The EduConnect login, at the keyboard, from the login page: « Se connecter
# avec ÉduConnect » (Alt+D), in the web view the ENT's wayf (its first link
# is ÉduConnect's), then EduConnect's form (login, Tab, password, Enter).
# $1: screenshots' prefix. 0 when the account page is shown.
log_in_educonnect () {
  keys key alt+d
  wait_page educonnect 20 || return 1
  wait_pages_loaded 1 || return 1      # the ENT's wayf
  screenshot "$1-wayf"
  keys key Tab
  keys key Return
  wait_pages_loaded 2 || return 1      # EduConnect's form, on its own port
  keys key Tab
  type_text "$educonnect_login"
  keys key Tab
  type_text "$educonnect_password"
  screenshot "$1-idp"
  keys key Return
  wait_page account 30
}

# After the account page: the children of the account asked from the ENT
# (the children pane of the account page), then « Se déconnecter » (Alt+D)
# back to the welcome page through the ENT's SAML logout. $1: the checks'
# prefix, $2: the screenshots'.
educonnect_account_and_logout () {
  local slo
  check "$1: the account is amandine.roux's and its children (Théo, Chloé) were asked from the ENT" \
    wait_requests /directory/user/u-amandine/children 1 30
  screenshot "$2-account"
  slo=$(ent_count /auth/saml/slo)
  keys key alt+d
  check "$1: « Se déconnecter » went back to the welcome page" wait_page welcome 30
  check "$1: the logout went through the ENT's SAML logout (/auth/saml/slo)" \
    test "$(ent_count /auth/saml/slo)" -eq $((slo + 1))
  check "$1: the ENT session of amandine.roux is closed" \
    grep -q '"count":0' <(curl -s --cacert "$top/tests/data/ca.pem" "$url/__test/sessions?login=amandine.roux")
}

educonnect_run () {
  say "Run 0: the ENT found with « lille », logged in through ÉduConnect in the web view"
  app_url_args=()
  app_extra_args=(--directory "$work/ca/directory.json")
  start_app educonnect
  # A new user: the address has the focus; the search is just above it.
  { wait_page welcome 30 && wait_window; } || { fail "EduConnect: no welcome page"; quit_app; return; }
  keys key shift+Tab
  type_text lille
  screenshot educonnect-search
  keys key Return                  # the first result: « ENT Hauts-de-France »
  if wait_accepted 30 && keys key Return && wait_page login 20; then
    pass "EduConnect: « lille » found « ENT Hauts-de-France », whose address (the test ENT's) was accepted"
  else
    fail "EduConnect: « lille » did not lead to the login page"
    screenshot educonnect-search-failed
    quit_app
    return
  fi
  if log_in_educonnect educonnect; then
    pass "EduConnect: logged in through the stand-in EduConnect in the sandboxed web view, account page shown"
    educonnect_account_and_logout EduConnect educonnect
  else
    fail "EduConnect: did not reach the account page"
    screenshot educonnect-failed
  fi
  quit_app
  app_extra_args=()
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
  write_directory
  educonnect_login=a.roux25 educonnect_password=Educ-Roux-2026

  # 0. The EduConnect login (issue 15), on a new user's Carnet.
  educonnect_run

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
  holders=$(files_holding "$HOME" "$educonnect_password")
  check "the EduConnect password is in no file (found in: ${holders:-none})" test -z "$holders"
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

  # The same machine, a parent with EduConnect: the locked address is in the
  # directory with its wayf, so the login page offers ÉduConnect.
  app_extra_args=(--directory "$work/ca/directory.json")
  start_app shared-educonnect
  if wait_page welcome 30 && wait_accepted 30 && keys key Return && wait_page login 20 &&
       log_in_educonnect shared-educonnect; then
    pass "shared machine: logged in through ÉduConnect in the web view, account page shown"
    educonnect_account_and_logout "shared machine, EduConnect" shared-educonnect
  else
    fail "shared machine: the EduConnect login did not reach the account page"
    screenshot shared-educonnect-failed
  fi
  quit_app
  app_extra_args=()

  local what holders
  for what in karim.benali Cartable2026 "$educonnect_login" "$educonnect_password" oneSessionId XSRF-TOKEN shib_idp_session; do
    holders=$(files_holding "$var" "$what")
    check "shared machine: nothing under ~/.var/app/$app_id holds \"$what\" (${holders:-none})" test -z "$holders"
  done
  # WebKit's data (WebKitGTK 6.0 keeps it under webkitgtk-6.0/ in the data
  # and cache folders: cookies, storage, HTTP cache), none on a shared
  # machine: the web view's network session is ephemeral.
  holders=$(find "$var" -ipath '*webkit*' -o -iname '*cookie*' -o -iname 'localstorage' -o -iname '*.sqlite*' 2>/dev/null | tr '\n' ' ')
  check "shared machine: no WebKit data or cookie file under ~/.var/app/$app_id (${holders:-none})" test -z "$holders"
  holders=$(find "$var" -name '*.keyring' 2>/dev/null)
  check "shared machine: no keyring under ~/.var/app/$app_id (${holders:-none})" test -z "$holders"
  check "shared machine: no settings written to the app's keyfile" \
    test ! -e "$var/config/glib-2.0/settings/keyfile"
  check "shared machine: nothing written to the user's dconf database" \
    test "$(md5sum "$HOME/.config/dconf/user" 2>/dev/null || true)" = "$dconf_before"
  echo "     left under ~/.var/app/$app_id: $(cd "$var" 2>/dev/null && find . -type f ! -path './cache/fontconfig/*' ! -path './cache/mesa_shader_cache/*' | tr '\n' ' ') (+ fontconfig and Mesa shader caches)" >&2

  display_lost_run
  flatpak override --system --reset "$app_id"
  scope=user
}
