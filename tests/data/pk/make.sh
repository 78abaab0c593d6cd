#!/usr/bin/env bash
# Makes the fixed test PKI of this directory with the openssl tool: a root CA and two RSA-2048
# end entities, alice (URI SAN sip:alice@example.com) and bob (sip:bob@example.com), valid
# from 2020-01-01 to 2119-12-31 so that deterministic tests with a fixed clock (the fuzz
# harness: fuzz/session_check.rs, tests/tamper.rs) can use them. Keys are PKCS#8 PEM.
# Not run by the tests: its output is committed. Run it again to replace the files.
set -euo pipefail
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sed "s|WORK|$work|" ca.cnf.in > "$work/ca.cnf"
touch "$work/index.txt"
echo 01 > "$work/serial"
export SAN=unused
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out ca.key 2>/dev/null
openssl req -new -key ca.key -subj "/CN=MIKEY fixed test CA" -out "$work/ca.csr" -config "$work/ca.cnf"
openssl ca -batch -selfsign -config "$work/ca.cnf" -keyfile ca.key -in "$work/ca.csr" \
    -startdate 20200101000000Z -enddate 21191231235959Z -extensions v3_ca -notext -out ca.pem
for who in alice bob; do
    export SAN="sip:$who@example.com"
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$who.key" 2>/dev/null
    openssl req -new -key "$who.key" -subj "/CN=$who" -out "$work/$who.csr" -config "$work/ca.cnf"
    openssl ca -batch -config "$work/ca.cnf" -cert ca.pem -keyfile ca.key -in "$work/$who.csr" \
        -startdate 20200101000000Z -enddate 21191231235959Z -extensions leaf -notext -out "$who.pem"
done
rm -f ca.key
