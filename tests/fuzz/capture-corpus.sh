#!/usr/bin/env bash
# Captures the seed corpus of the fuzz targets from the test ENT's real
# answers: starts tests/ent-server/ (seed "letter"), plays each exchange
# the client has with it over HTTPS (TLS verified with tests/data/ca.pem),
# and saves each answer's body (or Location) in tests/fuzz/corpus/<target>/.
#   tests/fuzz/capture-corpus.sh BUILD_DIR [OUT_DIR]
# Re-run it when the test ENT's answers change; commit the result.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=$(cd "${1:?usage: capture-corpus.sh BUILD_DIR [OUT_DIR]}" && pwd)
out=${2:-$top/tests/fuzz/corpus}
ca=$top/tests/data/ca.pem

state=$(mktemp -d "${TMPDIR:-/tmp}/carnet-capture.XXXXXX")
"$build/tests/ent-server/carnet-test-ent" --state-dir "$state" \
  --cert "$top/tests/data/server.pem" --key "$top/tests/data/server-key.pem" \
  > "$state/server.out" 2> "$state/server.err" &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$state"' EXIT

url=""
for _ in $(seq 100); do
  url=$(sed -n 's/^URL //p' "$state/server.out" | head -n1)
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || { echo "The test ENT did not start" >&2; exit 1; }
host=${url#https://}

c () { curl -sS --cacert "$ca" "$@"; }

# save TARGET NAME CURL_ARGS… (the last one the path): the answer's body.
save () {
  local target=$1 name=$2
  shift 2
  local args=("$@")
  local path=${args[-1]}
  unset 'args[-1]'
  mkdir -p "$out/$target"
  c "${args[@]}" -o "$out/$target/$name" "$url$path"
  [ -s "$out/$target/$name" ] || { echo "Empty answer for $target/$name" >&2; exit 1; }
}

# location TARGET NAME CURL_ARGS… PATH: the Location of a redirect.
location () {
  local target=$1 name=$2
  shift 2
  local args=("$@")
  local path=${args[-1]}
  unset 'args[-1]'
  mkdir -p "$out/$target"
  c "${args[@]}" -o /dev/null -D - "$url$path" | tr -d '\r' |
    sed -n 's/^[Ll]ocation: //p' | tr -d '\n' > "$out/$target/$name"
  [ -s "$out/$target/$name" ] || { echo "No redirect for $target/$name" >&2; exit 1; }
}

# login JAR LOGIN PASSWORD: a session in the cookie jar JAR.
login () {
  c -c "$1" -b "$1" -o /dev/null --data-urlencode "email=$2" --data-urlencode "password=$3" \
    -d rememberMe=true -d secureLocation=true "$url/auth/login"
}
xsrf () { awk '$6 == "XSRF-TOKEN" { print $7 }' "$1"; }
json_field () { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$@"; }
fault () {
  c -o /dev/null -H 'Content-Type: application/json' \
    -d "{\"path\":\"$1\",\"kind\":\"$2\",\"count\":1}" "$url/__test/faults"
}
json=(-H 'Content-Type: application/json')
v2=(-H 'Accept: application/json;version=2.0')

rm -rf "$out"
mkdir -p "$out"

# --- public routes -----------------------------------------------------------
save context real "/auth/context"
save i18n-charter real "/auth/i18n"

save activation-match letter "${json[@]}" -d '{"login":"frederic","password":"7KQ4M2PX"}' "/auth/activation/match"
save activation-match wrong-code "${json[@]}" -d '{"login":"frederic","password":"XXXXXXXX"}' "/auth/activation/match"

save login-page form "/auth/login"
save login-page bad-password --data-urlencode email=karim.benali --data-urlencode password=Nope2026 "/auth/login"
save login-page provisional-code --data-urlencode email=frederic --data-urlencode password=7KQ4M2PX "/auth/login"
save login-page blocked --data-urlencode email=bloque.parent --data-urlencode password=Bloque2026 "/auth/login"
for _ in $(seq 6); do
  c -o /dev/null --data-urlencode email=claire.dubois1 --data-urlencode password=Nope2026 "$url/auth/login"
done
save login-page banned --data-urlencode email=claire.dubois1 --data-urlencode password=Rentree2026 "/auth/login"

save form-error activation-wrong-code --data-urlencode login=frederic --data-urlencode activationCode=XXXXXXXX \
  --data-urlencode password=Soleil2026 --data-urlencode confirmPassword=Soleil2026 -d acceptCGU=true \
  --data-urlencode mail=frederic@example.fr "/auth/activation"
save form-error activation-weak-password --data-urlencode login=frederic --data-urlencode activationCode=7KQ4M2PX \
  --data-urlencode password=faible --data-urlencode confirmPassword=faible -d acceptCGU=true \
  --data-urlencode mail=frederic@example.fr "/auth/activation"
save form-error activation-mismatch --data-urlencode login=frederic --data-urlencode activationCode=7KQ4M2PX \
  --data-urlencode password=Soleil2026 --data-urlencode confirmPassword=Soleil2027 -d acceptCGU=true \
  --data-urlencode mail=frederic@example.fr "/auth/activation"
save form-error reset-wrong-code --data-urlencode login=karim.benali --data-urlencode resetCode=ZZZZZZZZ \
  --data-urlencode password=Cartable2027 --data-urlencode confirmPassword=Cartable2027 "/auth/reset"

save forgot-id one-school "${json[@]}" -d '{"mail":"karim.benali@example.fr","service":"mail"}' "/auth/forgot-id"
save forgot-id several-schools "${json[@]}" -d '{"mail":"claire.dubois@example.fr","service":"mail"}' "/auth/forgot-id"
save forgot-id unknown "${json[@]}" -d '{"mail":"personne@example.fr","service":"mail"}' "/auth/forgot-id"
save forgot-id school-chosen "${json[@]}" \
  -d '{"mail":"claire.dubois@example.fr","service":"mail","firstName":"Claire","structureId":"jules-ferry-calais"}' "/auth/forgot-id"

# The reset link, as the mail gives it and as a parent may paste it.
c -o /dev/null "${json[@]}" -d '{"login":"karim.benali","service":"mail"}' "$url/auth/forgot-password"
mkdir -p "$out/reset-link"
link=$(grep -rhoa "https://[^ ]*/auth/reset/[A-Za-z0-9_-]*" "$state" | tail -n1)
[ -n "$link" ] || { echo "No reset link in the outbox" >&2; exit 1; }
printf '%s' "$link" > "$out/reset-link/mail-link"
printf '<%s>.' "$link" > "$out/reset-link/angle-brackets"
printf '« %s »\n' "$link" > "$out/reset-link/french-quotes"
printf '%s\n%s' "${link:0:30}" "${link:30}" > "$out/reset-link/broken-line"
printf '%s' "${link##*/}" > "$out/reset-link/bare-code"

mkdir -p "$out/address"
printf '%s' "$url" > "$out/address/test-ent"
printf '%s' "$host" > "$out/address/host-port"
printf 'enthdf.fr' > "$out/address/letter"
printf 'https://ent.iledefrance.fr/auth/login?callback=%%2F' > "$out/address/login-page"
printf 'monlycée.net' > "$out/address/idn"

# --- OAuth2 ------------------------------------------------------------------
# Carnet has no OAuth2 client (it logs in with the ENT's form); the test
# ENT's grant still gives error bodies and a bearer's answers, which are
# ENT answers to the targets below.
c -u carnet:carnet-test-secret -d grant_type=password -d username=karim.benali \
  -d password=Cartable2026 -d scope=userinfo -o "$state/token" "$url/auth/oauth2/token"
access=$(json_field "$state/token" access_token)
save error-body token-bad-password -u carnet:carnet-test-secret -d grant_type=password -d username=karim.benali \
  -d password=Nope2026 "/auth/oauth2/token"
save error-body token-not-activated -u carnet:carnet-test-secret -d grant_type=password -d username=frederic \
  -d password=7KQ4M2PX "/auth/oauth2/token"
save error-body token-bad-client -u carnet:nope -d grant_type=password -d username=karim.benali \
  -d password=Cartable2026 "/auth/oauth2/token"
save error-body token-bad-grant -u carnet:carnet-test-secret -d grant_type=refresh_token -d refresh_token=nope "/auth/oauth2/token"
save error-body token-bad-grant-type -u carnet:carnet-test-secret -d grant_type=implicit "/auth/oauth2/token"
save error-body userinfo-bad-bearer "${v2[@]}" -H "Authorization: Bearer nope" "/auth/oauth2/userinfo"

save userinfo karim-bearer "${v2[@]}" -H "Authorization: Bearer $access" "/auth/oauth2/userinfo"
karim_id=$(json_field "$out/userinfo/karim-bearer" userId)
save children karim-bearer -H "Authorization: Bearer $access" "/directory/user/$karim_id/children"

# --- sessions ----------------------------------------------------------------
for who in nathalie.martin:Soleil2026 karim.benali:Cartable2026 paul.leroy:Provisoire1 claire.dubois:Rentree2026; do
  user=${who%%:*} password=${who#*:}
  jar=$state/$user.jar
  login "$jar" "$user" "$password"
  save userinfo "$user" -b "$jar" "${v2[@]}" "/auth/oauth2/userinfo"
  id=$(json_field "$out/userinfo/$user" userId)
  save requirements "$user" -b "$jar" "/auth/user/requirements"
  save mailstate "$user" -b "$jar" "/directory/user/mailstate"
  save children "$user" -b "$jar" "/directory/user/$id/children"
done

# Nathalie confirms her email: a code is sent, a wrong one, then the right one.
jar=$state/nathalie.martin.jar
token=$(xsrf "$jar")
put_mail=(-b "$jar" -X PUT "${json[@]}" -H "X-XSRF-TOKEN: $token" -d '{"email":"nathalie.martin@example.fr"}')
c "${put_mail[@]}" -o /dev/null "$url/directory/user/mailstate"
save mailstate pending -b "$jar" "/directory/user/mailstate"
save mailstate too-soon "${put_mail[@]}" "/directory/user/mailstate"
cp "$out/mailstate/too-soon" "$out/error-body/mailstate-too-soon"
save mailstate post-wrong-code -b "$jar" -c "$jar" "${json[@]}" -H "X-XSRF-TOKEN: $token" \
  -d '{"key":"000000"}' "/directory/user/mailstate"
code=$(grep -rhoa '\b[0-9]\{6\}\b' "$state"/outbox* 2>/dev/null | tail -n1 || true)
if [ -n "$code" ]; then
  save mailstate post-right-code -b "$jar" -c "$jar" "${json[@]}" -H "X-XSRF-TOKEN: $token" \
    -d "{\"key\":\"$code\"}" "/directory/user/mailstate"
fi
jar=$state/karim.benali.jar
save form-error change-wrong-old -b "$jar" -H "X-XSRF-TOKEN: $(xsrf "$jar")" --data-urlencode login=karim.benali \
  --data-urlencode oldPassword=Nope2026 --data-urlencode password=Cartable2027 \
  --data-urlencode confirmPassword=Cartable2027 "/auth/changePassword"
jar=$state/nathalie.martin.jar
save error-body xsrf-missing -b "$jar" -X PUT "${json[@]}" -d '{"email":"x@example.fr"}' "/directory/user/mailstate"
save error-body cgu-xsrf-missing -b "$jar" -X PUT "/auth/cgu/revalidate"

# --- the timeline (issue 16): Karim's news and the flash message -----------
jar=$state/karim.benali.jar
v3=(-b "$jar" -H 'Accept: application/json;version=3.0')
save timeline notifications-page "${v3[@]}" "/timeline/lastNotifications?page=0"
save timeline notifications-news "${v3[@]}" "/timeline/lastNotifications?page=0&type=NEWS"
save timeline notifications-empty "${v3[@]}" "/timeline/lastNotifications?page=3"
save timeline types -b "$jar" "/timeline/types"
save timeline i18n -b "$jar" "/timeline/i18nNotifications"
save timeline flashmsg -b "$jar" "/timeline/flashmsg/listuser"
flash_id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["id"])' "$out/timeline/flashmsg")
save timeline markasread -b "$jar" -X PUT -H "X-XSRF-TOKEN: $(xsrf "$jar")" "/timeline/flashmsg/$flash_id/markasread"
save timeline markasread-unknown -b "$jar" -X PUT -H "X-XSRF-TOKEN: $(xsrf "$jar")" "/timeline/flashmsg/424242/markasread"
# The target reads links against https://ent.example.fr: the test ENT's
# address (its port changes from run to run) becomes that one.
sed -i "s|$url|https://ent.example.fr|g" "$out"/timeline/notifications-*
# What the test ENT does not send but entcore may: an ISO 8601 $date, a
# flash message in two languages, a message's HTML alone.
printf '%s' '{"results":[{"_id":"n2","type":"WORKSPACE","event-type":"SHARE","params":{"username":"Marc Petit","resourceUri":"/workspace/workspace#/shared"},"date":{"$date":"2026-12-06T18:30:00.000Z"},"sender":"u-marc","message":"<a href=\"/userbook/annuaire#u-marc\">Marc Petit</a> a partagé avec vous <a href=\"/workspace/workspace#/shared\">Sortie &amp; autorisation</a>"}],"status":"ok","number":1}' > "$out/timeline/notifications-iso-date"
printf '%s' '[{"id":1,"contents":{"fr":"<p>Grève le <b>12 décembre</b>.</p>","en":"<p>Strike</p>"},"title":"Grève","color":null,"customColor":"#1E88E5","signature":null,"signatureColor":null}]' > "$out/timeline/flashmsg-two-languages"
printf '%s' '<p>Un &lt;message&gt; <a href='"'"'/x'"'"' title="a > b">lien</a><br/>fin &#233;t&eacute; &unknown; <!-- jamais' > "$out/timeline/html-message"

# Redirects the client meets on authenticated routes.
location redirect no-session "/auth/oauth2/userinfo"
location redirect after-login --data-urlencode email=karim.benali --data-urlencode password=Cartable2026 "/auth/login"
# The test ENT has no redirect to these (a real ENT has: ENT-PROTOCOL.md).
printf '/auth/reset/forceChangePassword' > "$out/redirect/protocol-force-change"
printf '%s/auth/revalidate-terms?callback=%%2F' "$url" > "$out/redirect/protocol-revalidate-terms"
printf '/auth/validate-mail' > "$out/redirect/protocol-validate-mail"
location redirect logout -b "$state/karim.benali.jar" "/auth/logout?callback=/"

# --- the test ENT's faults, on every JSON target ---------------------------
for kind in 500 malformed mistyped csrf; do
  fault /auth/context "$kind"
  save error-body "fault-$kind" "/auth/context"
  for target in context userinfo requirements mailstate children forgot-id \
                activation-match i18n-charter form-error; do
    cp "$out/error-body/fault-$kind" "$out/$target/fault-$kind"
  done
done
for kind in 500 malformed mistyped csrf; do
  cp "$out/error-body/fault-$kind" "$out/timeline/fault-$kind"
done
fault /auth/context 502
save error-body fault-502 "/auth/context"
cp "$out/error-body/fault-502" "$out/login-page/fault-502"

# No empty folder: each target has seeds.
for dir in "$out"/*/; do
  [ -n "$(ls "$dir")" ] || { echo "No seed in $dir" >&2; exit 1; }
done
find "$out" -type f -empty -delete
echo "Corpus in $out: $(find "$out" -type f | wc -l) files, $(du -sh "$out" | cut -f1)"
