#!/usr/bin/env bash
# make_pki.sh DIR: the test PKI of the C MIKEY-PK tests, made with the openssl command-line
# tool; the shell twin of tests/pki/mod.rs (same CAs, entities and extensions). DIR is
# emptied first, so nothing of an earlier run (an expired certificate) survives.
#
#   ca, evil        root CAs (RSA-2048, self-signed, basicConstraints CA:TRUE); only ca is
#                   trusted by the tests, evil by nobody
#   alice, bob, carol, dave
#                   RSA-2048 end entities issued by ca, subjectAltName URI
#                   sip:<name>@example.com
#   mallory         an end entity naming sip:alice@example.com, issued by evil
#   small           an RSA-1024 end entity issued by ca (a key too short for MIKEY-PK)
#   ec              a P-256 EC key (MIKEY-PK keys are RSA)
#   alice_p256, bob_p256, alice_p384, bob_p384
#                   EC end entities on P-256 / P-384 issued by ca, subjectAltName URI
#                   sip:alice|bob@example.com (DH-SIGN of the ECC profile signs with ECDSA)
#
# All certificates are valid for 30 days from now. Files per name: <name>.key (PKCS#8
# PEM), <name>.key.der (PKCS#8 DER), <name>.pem and <name>.der (the certificate; the
# CAs' self-signed ones too); and bob.rsa.key, Bob's key as PKCS#1 PEM.
set -euo pipefail
if [ $# -ne 1 ]; then
    echo "usage: $0 DIR" >&2
    exit 2
fi
command -v openssl >/dev/null || {
    echo "make_pki.sh: the openssl command-line tool is needed (scripts/deps.sh installs it)" >&2
    exit 1
}
dir=$1
rm -rf "$dir"
mkdir -p "$dir"
cd "$dir"

# The extension sections of the certificates issued (tests/pki/mod.rs EXTENSIONS).
cat >ext.cnf <<'EOF'
[ req ]
distinguished_name = dn
[ dn ]
[ ca ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[ leaf ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
subjectAltName = URI:${ENV::MIKEY_TEST_SAN}
EOF
# run COMMAND...: runs it quietly (openssl req prints progress dots); on failure shows
# its output and stops.
run() {
    local out
    if ! out=$("$@" 2>&1); then
        printf 'make_pki.sh: %s failed:\n%s\n' "$*" "$out" >&2
        exit 1
    fi
}

# ext.cnf reads the subjectAltName from the environment, also when a CA is made.
export MIKEY_TEST_SAN=unused
for ca in ca evil; do
    run openssl req -x509 -newkey rsa:2048 -nodes -keyout "$ca.key" -out "$ca.pem" -days 30 \
        -subj "/CN=MIKEY test $ca" -config ext.cnf -extensions ca
done

# leaf NAME CA SAN [NEWKEY]: an end entity NAME issued by CA, its key made as openssl req
# -newkey NEWKEY says (default rsa:2048).
leaf() {
    export MIKEY_TEST_SAN=$3
    run openssl req -newkey "${4:-rsa:2048}" -nodes -keyout "$1.key" -out "$1.csr" \
        -subj "/CN=$1"
    run openssl x509 -req -in "$1.csr" -CA "$2.pem" -CAkey "$2.key" -set_serial 7 -days 30 \
        -sha256 -out "$1.pem" -extfile ext.cnf -extensions leaf
}
leaf alice ca sip:alice@example.com
leaf bob ca sip:bob@example.com
leaf carol ca sip:carol@example.com
leaf dave ca sip:dave@example.com
leaf mallory evil sip:alice@example.com
leaf small ca sip:small@example.com rsa:1024
run openssl ecparam -name prime256v1 -out p256.params
run openssl ecparam -name secp384r1 -out p384.params
for curve in p256 p384; do
    leaf "alice_$curve" ca sip:alice@example.com "ec:$curve.params"
    leaf "bob_$curve" ca sip:bob@example.com "ec:$curve.params"
done
run openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ec.key

for name in ca evil alice bob carol dave mallory small ec; do
    run openssl pkcs8 -topk8 -nocrypt -in "$name.key" -outform DER -out "$name.key.der"
    if [ -e "$name.pem" ]; then
        run openssl x509 -in "$name.pem" -outform DER -out "$name.der"
    fi
done

# Bob's key also as PKCS#1 PEM ("BEGIN RSA PRIVATE KEY").
run openssl pkey -in bob.key -traditional -out bob.rsa.key

# The PEM private keys are PKCS#8 (openssl req and genpkey write "BEGIN PRIVATE KEY").
for name in ca evil alice bob carol dave mallory small ec; do
    head -n 1 "$name.key" | grep -qx -- '-----BEGIN PRIVATE KEY-----' || {
        echo "make_pki.sh: $name.key is not PKCS#8 PEM" >&2
        exit 1
    }
done
echo "make_pki.sh: test PKI in $dir"
