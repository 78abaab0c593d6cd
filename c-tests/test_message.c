/* mikey_message_t end to end through the C API: parse the RFC 4567 §5.1 offer and the
 * worked PSK example I_MESSAGE (tests/data/README.md), read every accessor, serialize byte-identically, and check
 * NULL arguments, short buffers, out-of-range indices and parse errors. */
#include "check.h"
#include "fixtures.h"

#include <mikey.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct mikey_message_t *parse_ok(const uint8_t *data, size_t len) {
    struct mikey_message_t *msg = NULL;
    CHECK(mikey_message_parse(data, len, &msg, NULL) == MIKEY_OK);
    CHECK(msg != NULL);
    return msg;
}

static void test_rfc4567_offer(void) {
    struct mikey_message_t *msg = parse_ok(RFC4567_OFFER, sizeof RFC4567_OFFER);

    struct mikey_header_info_t h;
    CHECK(mikey_message_header(msg, &h) == MIKEY_OK);
    CHECK(h.version == MIKEY_VERSION && h.data_type == MIKEY_DATA_TYPE_PRE_SHARED &&
          h.next_payload == MIKEY_PAYLOAD_TIMESTAMP && h.v == 1);
    CHECK(h.prf_func == 0 && h.csb_id == 0xCD177E50u && h.cs_count == 1 && h.cs_id_map_type == 0);

    struct mikey_srtp_cs_t cs;
    CHECK(mikey_message_srtp_cs(msg, 0, &cs) == MIKEY_OK);
    CHECK(cs.policy_no == 0 && cs.ssrc == 0 && cs.roc == 0);
    CHECK(mikey_message_srtp_cs(msg, 1, &cs) == MIKEY_ERR_INDEX_OUT_OF_RANGE);
    CHECK(mikey_message_srtp_cs(msg, (size_t)-1, &cs) == MIKEY_ERR_INDEX_OUT_OF_RANGE);
    CHECK(mikey_message_srtp_cs(msg, ((size_t)-1) / 9 + 1, &cs) == MIKEY_ERR_INDEX_OUT_OF_RANGE);

    size_t count = 0;
    CHECK(mikey_message_payload_count(msg, &count) == MIKEY_OK && count == 5);
    const uint8_t types[5] = {5, 11, 6, 10, 1};
    size_t expected_offset = 19;
    for (size_t i = 0; i < count; i++) {
        struct mikey_payload_info_t info;
        CHECK(mikey_message_payload_info(msg, i, &info) == MIKEY_OK);
        CHECK(info.payload_type == types[i]);
        CHECK(info.next_payload == (i + 1 < count ? types[i + 1] : 0));
        CHECK(info.offset == expected_offset);
        expected_offset += info.len;
        uint8_t whole[256];
        size_t whole_len = 0;
        CHECK(mikey_message_payload_bytes(msg, i, whole, sizeof whole, &whole_len) == MIKEY_OK);
        CHECK(whole_len == info.len && memcmp(whole, RFC4567_OFFER + info.offset, whole_len) == 0);
    }
    CHECK(expected_offset == sizeof RFC4567_OFFER);

    struct mikey_payload_info_t t;
    CHECK(mikey_message_payload_info(msg, 0, &t) == MIKEY_OK);
    CHECK(t.code == MIKEY_TS_NTP_UTC && t.number == 0xC8E350EA00000000ull && t.data_len == 8);

    struct mikey_payload_info_t id;
    CHECK(mikey_message_payload_info(msg, 2, &id) == MIKEY_OK);
    CHECK(id.code == MIKEY_ID_NAI && id.data_len == 15);
    char name[32] = {0};
    size_t name_len = 0;
    CHECK(mikey_message_payload_data(msg, 2, (uint8_t *)name, sizeof name, &name_len) == MIKEY_OK);
    CHECK(name_len == 15 && memcmp(name, "donald@duck.com", 15) == 0);

    /* Short buffer: the needed length comes back, the buffer is untouched. */
    uint8_t small[4] = {0xEE, 0xEE, 0xEE, 0xEE};
    size_t need = 0;
    CHECK(mikey_message_payload_data(msg, 2, small, sizeof small, &need) == MIKEY_ERR_BUFFER_TOO_SMALL);
    CHECK(need == 15 && small[0] == 0xEE && small[3] == 0xEE);

    struct mikey_payload_info_t kemac;
    CHECK(mikey_message_payload_info(msg, 4, &kemac) == MIKEY_OK);
    CHECK(kemac.code == MIKEY_ENCR_AES_CM_128 && kemac.code2 == MIKEY_MAC_HMAC_SHA1_160 && kemac.data_len == 36 && kemac.len == 61);

    struct mikey_payload_info_t sp;
    CHECK(mikey_message_payload_info(msg, 3, &sp) == MIKEY_OK);
    CHECK(sp.code == MIKEY_PROT_SRTP && sp.code2 == 0 && sp.item_count == 0);
    uint8_t ptype = 0xFF, pval[8];
    size_t plen = 0;
    CHECK(mikey_message_sp_param(msg, 3, 0, &ptype, pval, sizeof pval, &plen) == MIKEY_ERR_INDEX_OUT_OF_RANGE);
    CHECK(mikey_message_sp_param(msg, 0, 0, &ptype, pval, sizeof pval, &plen) == MIKEY_ERR_WRONG_PAYLOAD_TYPE);
    CHECK(ptype == 0xFF);

    CHECK(mikey_message_payload_info(msg, 5, &sp) == MIKEY_ERR_INDEX_OUT_OF_RANGE);
    CHECK(mikey_message_payload_info(msg, (size_t)-1, &sp) == MIKEY_ERR_INDEX_OUT_OF_RANGE);

    /* Serialization is byte-identical; short buffers report the needed length. */
    uint8_t out[256];
    size_t out_len = 0;
    CHECK(mikey_message_serialize(msg, out, 10, &out_len) == MIKEY_ERR_BUFFER_TOO_SMALL);
    CHECK(out_len == sizeof RFC4567_OFFER);
    CHECK(mikey_message_serialize(msg, out, sizeof out, &out_len) == MIKEY_OK);
    CHECK(out_len == sizeof RFC4567_OFFER && memcmp(out, RFC4567_OFFER, out_len) == 0);

    char b64[256];
    size_t b64_len = 0;
    CHECK(mikey_message_to_base64(msg, b64, 10, &b64_len) == MIKEY_ERR_BUFFER_TOO_SMALL);
    CHECK(b64_len == strlen(RFC4567_OFFER_B64) + 1);
    CHECK(mikey_message_to_base64(msg, b64, b64_len, &b64_len) == MIKEY_OK);
    CHECK(b64_len == strlen(RFC4567_OFFER_B64) && strcmp(b64, RFC4567_OFFER_B64) == 0);

    mikey_message_free(msg);
}

static void test_sp_params(void) {
    struct mikey_message_t *msg = parse_ok(DIGEST_I_MESSAGE, sizeof DIGEST_I_MESSAGE);
    struct mikey_payload_info_t sp;
    CHECK(mikey_message_payload_info(msg, 4, &sp) == MIKEY_OK);
    CHECK(sp.payload_type == MIKEY_PAYLOAD_SECURITY_POLICY && sp.item_count == 10);
    const uint8_t want_type[10] = {0, 1, 2, 3, 4, 5, 7, 8, 10, 11};
    const uint8_t want_val[10] = {1, 16, 1, 20, 14, 0, 1, 1, 1, 10};
    for (size_t i = 0; i < sp.item_count; i++) {
        uint8_t type = 0, val[4];
        size_t len = 0;
        CHECK(mikey_message_sp_param(msg, 4, i, &type, val, sizeof val, &len) == MIKEY_OK);
        CHECK(type == want_type[i] && len == 1 && val[0] == want_val[i]);
    }
    mikey_message_free(msg);
}

static void test_text_forms(void) {
    char sdp[512], rtsp[512];
    snprintf(sdp, sizeof sdp, "a=key-mgmt:mikey %s\r\n", RFC4567_OFFER_B64);
    snprintf(rtsp, sizeof rtsp, "KeyMgmt: prot=mikey; uri=\"rtsp://h/a\"; data=\"%s\"", RFC4567_OFFER_B64);
    const char *forms[3] = {sdp, rtsp, RFC4567_OFFER_B64};
    for (int i = 0; i < 3; i++) {
        struct mikey_message_t *msg = NULL;
        CHECK(mikey_message_parse_text(forms[i], strlen(forms[i]), &msg, NULL) == MIKEY_OK);
        uint8_t out[256];
        size_t out_len = 0;
        CHECK(mikey_message_serialize(msg, out, sizeof out, &out_len) == MIKEY_OK);
        CHECK(out_len == sizeof RFC4567_OFFER && memcmp(out, RFC4567_OFFER, out_len) == 0);
        mikey_message_free(msg);
    }
    struct mikey_message_t *msg = NULL;
    CHECK(mikey_message_parse_text("a=key-mgmt:mikey A*==", 21, &msg, NULL) == MIKEY_ERR_BASE64);
    CHECK(mikey_message_parse_text("a=key-mgmt:other AQID", 21, &msg, NULL) == MIKEY_ERR_KEY_MGMT_SYNTAX);
    CHECK(mikey_message_parse_text("KeyMgmt: prot=mikey", 19, &msg, NULL) == MIKEY_ERR_KEY_MGMT_SYNTAX);
    CHECK(mikey_message_parse_text("\xff\xfe", 2, &msg, NULL) == MIKEY_ERR_KEY_MGMT_SYNTAX);
    CHECK(msg == NULL);
}

static void test_parse_errors(void) {
    struct mikey_message_t *msg = NULL;
    size_t off = 12345;
    /* Every truncation is an error, with an offset inside the input. */
    for (size_t len = 0; len < sizeof RFC4567_OFFER; len++) {
        off = 12345;
        CHECK(mikey_message_parse(RFC4567_OFFER, len, &msg, &off) == MIKEY_ERR_PARSE_TRUNCATED);
        CHECK(off <= len && msg == NULL);
    }
    uint8_t buf[sizeof RFC4567_OFFER + 1];
    memcpy(buf, RFC4567_OFFER, sizeof RFC4567_OFFER);
    buf[sizeof RFC4567_OFFER] = 0;
    CHECK(mikey_message_parse(buf, sizeof buf, &msg, &off) == MIKEY_ERR_PARSE_TRAILING_BYTES);
    CHECK(off == sizeof RFC4567_OFFER);
    buf[0] = 2;
    CHECK(mikey_message_parse(buf, sizeof RFC4567_OFFER, &msg, &off) == MIKEY_ERR_PARSE_BAD_VERSION && off == 0);
    buf[0] = 1;
    buf[9] = 7; /* CS ID map type */
    CHECK(mikey_message_parse(buf, sizeof RFC4567_OFFER, &msg, &off) == MIKEY_ERR_PARSE_UNKNOWN_CS_ID_MAP);
    CHECK(off == 9);
    buf[9] = 0;
    buf[2] = 19; /* next payload: unassigned */
    CHECK(mikey_message_parse(buf, sizeof RFC4567_OFFER, &msg, &off) == MIKEY_ERR_PARSE_UNKNOWN_PAYLOAD);
    buf[2] = 20; /* Key data at top level */
    CHECK(mikey_message_parse(buf, sizeof RFC4567_OFFER, &msg, &off) == MIKEY_ERR_PARSE_MISPLACED_PAYLOAD);
    buf[2] = 5;
    buf[20] = 9; /* T's TS type */
    CHECK(mikey_message_parse(buf, sizeof RFC4567_OFFER, &msg, &off) == MIKEY_ERR_PARSE_UNKNOWN_LENGTH_CODEPOINT);
    CHECK(off == 20);
    CHECK(msg == NULL);
    /* A NULL error_offset is allowed. */
    CHECK(mikey_message_parse(RFC4567_OFFER, 3, &msg, NULL) == MIKEY_ERR_PARSE_TRUNCATED);
}

/* Parse bounds: more than MIKEY_DEFAULT_MAX_MESSAGE_SIZE bytes is refused before it is
 * read (offset 0), more than 512 payloads at the 513th. */
static void test_limits(void) {
    struct mikey_message_t *msg = NULL;
    size_t off = 12345, count = 0;
    CHECK(MIKEY_DEFAULT_MAX_MESSAGE_SIZE == 65536);
    /* HDR (PSK, next CERT, no crypto session) and one CERT filling len bytes. */
    size_t cap = MIKEY_DEFAULT_MAX_MESSAGE_SIZE + 1;
    uint8_t *big = calloc(cap, 1);
    CHECK(big != NULL);
    if (big == NULL) return;
    const uint8_t hdr[10] = {1, 0, 7, 0, 0, 0, 0, 1, 0, 0};
    memcpy(big, hdr, sizeof hdr);
    for (size_t len = cap - 1; len <= cap; len++) {
        size_t data = len - 14;
        big[10] = 0; /* Last */
        big[11] = 0; /* X.509v3 */
        big[12] = (uint8_t)(data >> 8);
        big[13] = (uint8_t)data;
        off = 12345;
        uint32_t status = mikey_message_parse(big, len, &msg, &off);
        if (len == MIKEY_DEFAULT_MAX_MESSAGE_SIZE) {
            CHECK(status == MIKEY_OK && msg != NULL);
            CHECK(mikey_message_payload_count(msg, &count) == MIKEY_OK && count == 1);
            mikey_message_free(msg);
            msg = NULL;
        } else {
            CHECK(status == MIKEY_ERR_MESSAGE_TOO_LARGE && off == 0 && msg == NULL);
        }
    }
    /* Bytes that are no message at all are refused on their length alone. */
    memset(big, 0xFF, cap);
    CHECK(mikey_message_parse(big, cap, &msg, &off) == MIKEY_ERR_MESSAGE_TOO_LARGE && off == 0);

    /* HDR, then n RAND payloads of 0 bytes (2 bytes each). */
    for (size_t n = 512; n <= 513; n++) {
        memcpy(big, hdr, sizeof hdr);
        big[2] = 11; /* RAND */
        for (size_t i = 0; i < n; i++) {
            big[10 + 2 * i] = i + 1 < n ? 11 : 0;
            big[11 + 2 * i] = 0;
        }
        off = 12345;
        uint32_t status = mikey_message_parse(big, 10 + 2 * n, &msg, &off);
        if (n == 512) {
            CHECK(status == MIKEY_OK);
            CHECK(mikey_message_payload_count(msg, &count) == MIKEY_OK && count == 512);
            mikey_message_free(msg);
            msg = NULL;
        } else {
            CHECK(status == MIKEY_ERR_TOO_MANY_PAYLOADS && off == 10 + 2 * 512 && msg == NULL);
        }
    }
    free(big);
    CHECK(strcmp(mikey_status_str(MIKEY_ERR_MESSAGE_TOO_LARGE), "unknown status") != 0);
    CHECK(strcmp(mikey_status_str(MIKEY_ERR_TOO_MANY_PAYLOADS), "unknown status") != 0);
}

static void test_null_arguments(void) {
    struct mikey_message_t *msg = parse_ok(RFC4567_OFFER, sizeof RFC4567_OFFER);
    struct mikey_message_t *none = NULL;
    struct mikey_header_info_t h;
    struct mikey_srtp_cs_t cs;
    struct mikey_payload_info_t info;
    uint8_t buf[256], type;
    size_t len, count;

    CHECK(mikey_message_parse(NULL, 5, &none, NULL) == MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_message_parse(RFC4567_OFFER, sizeof RFC4567_OFFER, NULL, NULL) == MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_message_parse(NULL, 0, &none, NULL) == MIKEY_ERR_PARSE_TRUNCATED);
    CHECK(mikey_message_parse_text(NULL, 5, &none, NULL) == MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_message_parse_text(RFC4567_OFFER_B64, 8, NULL, NULL) == MIKEY_ERR_NULL_POINTER);
    CHECK(none == NULL);

    CHECK(mikey_message_header(NULL, &h) == MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_message_header(msg, NULL) == MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_message_srtp_cs(NULL, 0, &cs) == MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_message_srtp_cs(msg, 0, NULL) == MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_message_payload_count(NULL, &count) == MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_message_payload_count(msg, NULL) == MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_message_payload_info(NULL, 0, &info) == MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_message_payload_info(msg, 0, NULL) == MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_message_payload_data(NULL, 0, buf, sizeof buf, &len) == MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_message_payload_data(msg, 0, NULL, sizeof buf, &len) == MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_message_payload_data(msg, 0, buf, sizeof buf, NULL) == MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_message_payload_bytes(NULL, 0, buf, sizeof buf, &len) == MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_message_payload_bytes(msg, 0, NULL, sizeof buf, &len) == MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_message_payload_bytes(msg, 0, buf, sizeof buf, NULL) == MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_message_sp_param(NULL, 3, 0, &type, buf, sizeof buf, &len) == MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_message_sp_param(msg, 3, 0, NULL, buf, sizeof buf, &len) == MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_message_serialize(NULL, buf, sizeof buf, &len) == MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_message_serialize(msg, NULL, sizeof buf, &len) == MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_message_serialize(msg, buf, sizeof buf, NULL) == MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_message_to_base64(NULL, (char *)buf, sizeof buf, &len) == MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_message_to_base64(msg, NULL, sizeof buf, &len) == MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_message_to_base64(msg, (char *)buf, sizeof buf, NULL) == MIKEY_ERR_NULL_POINTER);
    /* A NULL buffer with zero capacity asks for the length. */
    len = 0;
    CHECK(mikey_message_serialize(msg, NULL, 0, &len) == MIKEY_ERR_BUFFER_TOO_SMALL && len == sizeof RFC4567_OFFER);
    mikey_message_free(NULL);
    mikey_message_free(msg);
}

static void test_payload_names(void) {
    const char *names[27] = {"Last payload", "KEMAC", "PKE", "DH", "SIGN", "T", "ID", "CERT", "CHASH",
                             "V", "SP", "RAND", "ERR", "TR", "IDR", "RANDR", "TP", "TICKET",
                             "unknown", "unknown", "Key data", "General Ext.", "IBAKE", "ESK", "SK",
                             "ECCPT", "SAKKE"};
    for (uint32_t t = 0; t < 27; t++) {
        CHECK(strcmp(mikey_payload_type_str(t), names[t]) == 0);
    }
    CHECK(strcmp(mikey_payload_type_str(255), "unknown") == 0);
    CHECK(strcmp(mikey_payload_type_str(256), "unknown") == 0);
    CHECK(strcmp(mikey_payload_type_str(UINT32_MAX), "unknown") == 0);
}

/* mikey_stream_message_len: a stream of two messages (RFC4567_OFFER twice) read as TCP
 * delivers it; 0 until the first is whole, then its length; bytes that cannot be MIKEY and
 * the argument checks. */
static void test_stream(void) {
    uint8_t stream[2 * sizeof RFC4567_OFFER];
    memcpy(stream, RFC4567_OFFER, sizeof RFC4567_OFFER);
    memcpy(stream + sizeof RFC4567_OFFER, RFC4567_OFFER, sizeof RFC4567_OFFER);
    size_t len = 99;
    for (size_t n = 0; n < sizeof RFC4567_OFFER; n++) {
        CHECK(mikey_stream_message_len(stream, n, &len) == MIKEY_OK);
        CHECK(len == 0);
    }
    for (size_t n = sizeof RFC4567_OFFER; n <= sizeof stream; n++) {
        CHECK(mikey_stream_message_len(stream, n, &len) == MIKEY_OK);
        CHECK(len == sizeof RFC4567_OFFER);
    }
    uint8_t bad[8] = {2, 0, 0, 0, 0, 0, 0, 0}; /* version 2 */
    CHECK(mikey_stream_message_len(bad, sizeof bad, &len) == MIKEY_ERR_PARSE_BAD_VERSION);
    CHECK(mikey_stream_message_len(NULL, 0, &len) == MIKEY_OK && len == 0);
    CHECK(mikey_stream_message_len(NULL, 3, &len) == MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_stream_message_len(stream, sizeof stream, NULL) == MIKEY_ERR_NULL_POINTER);
}

int main(void) {
    test_stream();
    test_rfc4567_offer();
    test_sp_params();
    test_text_forms();
    test_parse_errors();
    test_limits();
    test_null_arguments();
    test_payload_names();
    return check_report("test_message");
}
