#!/usr/bin/env bash
# Makes the fixed ECC test PKI of this directory with the openssl tool, the twin of make.sh
# for the ECC profile of DH-SIGN (draft-ietf-msec-mikey-ecc-03): a P-256 root CA (ecc_ca)
# and two P-256 end entities, alice_p256 (URI SAN sip:alice@example.com) and bob_p256
# (sip:bob@example.com), valid from 2020-01-01 to 2119-12-31 for the deterministic fuzz
# harness (fuzz/session_check.rs). Keys are PKCS#8 PEM.
# Not run by the tests: its output is committed. Run it again to replace the files.
set -euo pipefail
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sed "s|WORK|$work|" ca.cnf.in > "$work/ca.cnf"
touch "$work/index.txt"
echo 01 > "$work/serial"
export SAN=unused
p256=(-algorithm EC -pkeyopt ec_paramgen_curve:P-256)
openssl genpkey "${p256[@]}" -out "$work/ecc_ca.key"
openssl req -new -key "$work/ecc_ca.key" -subj "/CN=MIKEY fixed ECC test CA" \
    -out "$work/ca.csr" -config "$work/ca.cnf"
openssl ca -batch -selfsign -config "$work/ca.cnf" -keyfile "$work/ecc_ca.key" \
    -in "$work/ca.csr" -startdate 20200101000000Z -enddate 21191231235959Z \
    -extensions v3_ca -notext -out ecc_ca.pem
for who in alice bob; do
    export SAN="sip:$who@example.com"
    openssl genpkey "${p256[@]}" -out "${who}_p256.key"
    openssl req -new -key "${who}_p256.key" -subj "/CN=${who}_p256" -out "$work/$who.csr" \
        -config "$work/ca.cnf"
    openssl ca -batch -config "$work/ca.cnf" -cert ecc_ca.pem -keyfile "$work/ecc_ca.key" \
        -in "$work/$who.csr" -startdate 20200101000000Z -enddate 21191231235959Z \
        -extensions ec_leaf -notext -out "${who}_p256.pem"
done
