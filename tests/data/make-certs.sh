#!/bin/sh
# How the test certificates were made (run once; the results are committed so
# that every test run uses the same ones). The CA signs:
#   server.pem   127.0.0.1 and localhost, valid until 2125
#   wronghost.pem  only for ent.example.org (hostile-TLS tests)
#   expired.pem  127.0.0.1, but only from 2020-01-01 to 2021-01-01
# untrusted.pem is self-signed for 127.0.0.1 by no CA Carnet is told about.
set -eu
cd "$(dirname "$0")"
# "make-certs.sh expired" only makes expired.pem again, with the CA there is.
# expired.pem: the CA's, for 127.0.0.1, valid 2020-01-01 to 2021-01-01 only
# (OpenSSL 3.0's x509 cannot back-date a certificate; "ca" can).
expired () {
  tmp=$(mktemp -d)
  touch "$tmp/index.txt"
  cat > "$tmp/ca.cnf" <<CNF
[ca]
default_ca = test
[test]
database = $tmp/index.txt
new_certs_dir = $tmp
serial = $tmp/serial
default_md = sha256
policy = any
copy_extensions = none
[any]
organizationName = optional
commonName = supplied
[leaf]
subjectAltName = IP:127.0.0.1,DNS:localhost
basicConstraints = CA:FALSE
extendedKeyUsage = serverAuth
CNF
  echo 01 > "$tmp/serial"
  openssl req -newkey rsa:2048 -nodes -keyout expired-key.pem -out "$tmp/expired.csr" \
    -subj "/O=Carnet tests/CN=127.0.0.1"
  openssl ca -batch -config "$tmp/ca.cnf" -cert ca.pem -keyfile ca-key.pem -extensions leaf \
    -startdate 20200101000000Z -enddate 20210101000000Z -notext \
    -in "$tmp/expired.csr" -out expired.pem
  rm -rf "$tmp"
}
if [ "${1:-}" = expired ]; then expired; exit 0; fi
days=36500
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca-key.pem -out ca.pem -days $days \
  -subj "/O=Carnet tests/CN=Carnet test CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
leaf () {  # name CN subjectAltName
  openssl req -newkey rsa:2048 -nodes -keyout "$1-key.pem" -out "$1.csr" -subj "/O=Carnet tests/CN=$2"
  printf 'subjectAltName=%s\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' "$3" > "$1.ext"
  openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca-key.pem -CAcreateserial -out "$1.pem" \
    -days $days -extfile "$1.ext"
  rm -f "$1.csr" "$1.ext"
}
leaf server 127.0.0.1 "IP:127.0.0.1,DNS:localhost"
leaf wronghost ent.example.org "DNS:ent.example.org"
openssl req -x509 -newkey rsa:2048 -nodes -keyout untrusted-key.pem -out untrusted.pem -days $days \
  -subj "/O=Nobody/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1,DNS:localhost"
rm -f ca.srl
expired
