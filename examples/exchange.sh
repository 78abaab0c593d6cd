#!/usr/bin/env bash
# Runs one MIKEY exchange between two mikey-endpoint processes and waits for both.
#
# usage: exchange.sh ENDPOINT udp|sdp [OPTIONS] [-- ARG... for both endpoints]
#   --psk HEX             PSK of both ends (default: 16 fresh random bytes)
#   --responder-psk HEX   another PSK for the Responder/answerer (to see a refusal)
#   --pk DIR              MIKEY-PK instead of PSK, with the PKI c-tests/make_pki.sh made in
#                         DIR: alice (sip:alice@example.com) the Initiator/offerer, pinning
#                         bob's certificate; bob (sip:bob@example.com) the Responder/answerer,
#                         trusting ca
#   --port N              udp: the Responder's port (default: 2269, or an ephemeral one
#                         when 2269 is taken; 0: always ephemeral)
#   -i ARG / -r ARG       one argument for the Initiator / the Responder only (repeatable)
#   --expect I,R          exit statuses expected of Initiator and Responder (default 0,0)
#   --expect-initiator RE / --expect-responder RE
#                         an extended regex that side's output must match (repeatable);
#                         the output is then collected and shown after both have exited
#   --wrapper "CMD ..."   run both endpoints under CMD (e.g. valgrind)
# Exit status: 0 when the endpoints' exit statuses (and outputs) are the expected ones.
#
# udp: the Responder writes its bound port to a FIFO this script holds open, so the
# Initiator starts only once the Responder listens, and learns the port even when it is an
# ephemeral one. sdp: offerer and answerer start together and meet through the offer and
# answer files in a fresh temporary directory. Every endpoint has its own timeouts; the
# trap stops any that is still running when this script ends.
set -euo pipefail

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
[ $# -ge 2 ] || usage
endpoint=$1 mode=$2
shift 2
case $mode in udp|sdp) ;; *) usage ;; esac

psk= rpsk= pki= port= expect=0,0 wrapper=
iargs=() rargs=() common=() iexp=() rexp=()
while [ $# -gt 0 ]; do
    case $1 in
        --psk) psk=$2; shift 2 ;;
        --responder-psk) rpsk=$2; shift 2 ;;
        --pk) pki=$2; shift 2 ;;
        --port) port=$2; shift 2 ;;
        -i) iargs+=("$2"); shift 2 ;;
        -r) rargs+=("$2"); shift 2 ;;
        --expect) expect=$2; shift 2 ;;
        --expect-initiator) iexp+=("$2"); shift 2 ;;
        --expect-responder) rexp+=("$2"); shift 2 ;;
        --wrapper) wrapper=$2; shift 2 ;;
        --) shift; common=("$@"); break ;;
        *) usage ;;
    esac
done
[ -n "$psk" ] || psk=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
[ -n "$rpsk" ] || rpsk=$psk
# The keying options of each side: a PSK, or the PK credentials and identities.
if [ -n "$pki" ]; then
    for f in alice.key alice.pem bob.key bob.pem ca.pem; do
        [ -r "$pki/$f" ] || { echo "exchange.sh: --pk $pki: no $f (make it with c-tests/make_pki.sh)" >&2; exit 2; }
    done
    ikeying=(--key "$pki/alice.key" --cert "$pki/alice.pem" --peer-cert "$pki/bob.pem"
        --id sip:alice@example.com --peer-id sip:bob@example.com)
    rkeying=(--key "$pki/bob.key" --cert "$pki/bob.pem" --ca "$pki/ca.pem"
        --id sip:bob@example.com --peer-id sip:alice@example.com)
else
    ikeying=(--psk "$psk")
    rkeying=(--psk "$rpsk")
fi
wrap=()
[ -z "$wrapper" ] || read -ra wrap <<<"$wrapper"

tmp=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM # through the EXIT trap

# With output expectations each side writes to its own log, shown once both have exited.
collect=0
[ ${#iexp[@]} -eq 0 ] && [ ${#rexp[@]} -eq 0 ] || collect=1
start() { # LOG COMMAND...: runs COMMAND in the background, its pid appended to pids
    local log=$1
    shift
    if [ $collect = 1 ]; then
        "${wrap[@]}" "$@" >"$log" 2>&1 &
    else
        "${wrap[@]}" "$@" &
    fi
    pids+=($!)
}

irc=not-started rrc=not-started
if [ "$mode" = udp ]; then
    mkfifo "$tmp/port"
    exec {portfd}<>"$tmp/port" # read-write: opening never blocks, and nor does the writer's
    rport=()
    [ -z "$port" ] || rport=(--port "$port")
    start "$tmp/responder.log" "$endpoint" respond "${rkeying[@]}" --port-file "$tmp/port" \
        "${rport[@]}" "${common[@]}" "${rargs[@]}"
    rpid=${pids[0]}
    bound=
    # The port line arrives as soon as the Responder listens; a Responder that dies first
    # is noticed within a second.
    for _ in $(seq 60); do
        if read -r -t 1 -u "$portfd" bound; then break; fi
        kill -0 "$rpid" 2>/dev/null || break
    done
    if [ -n "$bound" ]; then
        start "$tmp/initiator.log" "$endpoint" initiate "${ikeying[@]}" --port "$bound" \
            "${common[@]}" "${iargs[@]}"
        irc=0
        wait "${pids[1]}" || irc=$?
    else
        echo "exchange.sh: the responder did not report a port" >&2
    fi
    rrc=0
    wait "$rpid" || rrc=$?
else
    offer=$tmp/offer.sdp answer=$tmp/answer.sdp
    start "$tmp/initiator.log" "$endpoint" offer "${ikeying[@]}" --offer "$offer" --answer "$answer" \
        "${common[@]}" "${iargs[@]}"
    start "$tmp/responder.log" "$endpoint" answer "${rkeying[@]}" --offer "$offer" --answer "$answer" \
        "${common[@]}" "${rargs[@]}"
    irc=0 rrc=0
    wait "${pids[0]}" || irc=$?
    wait "${pids[1]}" || rrc=$?
fi
pids=()

ok=1
if [ $collect = 1 ]; then
    for side in initiator responder; do
        [ -f "$tmp/$side.log" ] || continue
        echo "--- $side output"
        cat "$tmp/$side.log"
    done
    for re in "${iexp[@]}"; do
        grep -Eq -- "$re" "$tmp/initiator.log" 2>/dev/null \
            || { echo "exchange.sh: initiator output lacks /$re/" >&2; ok=0; }
    done
    for re in "${rexp[@]}"; do
        grep -Eq -- "$re" "$tmp/responder.log" 2>/dev/null \
            || { echo "exchange.sh: responder output lacks /$re/" >&2; ok=0; }
    done
fi
if [ "$irc,$rrc" != "$expect" ]; then
    echo "exchange.sh: exit statuses initiator $irc, responder $rrc; expected $expect" >&2
    ok=0
elif [ "$expect" != 0,0 ]; then
    echo "exchange.sh: exit statuses initiator $irc, responder $rrc, as expected"
fi
[ $ok = 1 ]
