/* mikey_sdp_media_count and mikey_sdp_media_message: the MIKEY message of one media
 * section of a whole SDP description, a media-level a=key-mgmt over the session-level one
 * (RFC 4567 §3.1). Two messages tell the attributes apart: RFC4567_OFFER (CSB ID
 * 0xcd177e50) and DIGEST_I_MESSAGE (CSB ID 0x01020304).
 * Then RFC 4567 §4.1.4 bidding-down protection: mikey_sdp_protocol_list,
 * mikey_session_initiate_offer and mikey_session_process_offer; an offer whose key-mgmt
 * line was peeled off is rejected (MIKEY_ERR_BIDDING_DOWN), the unaltered one passes.
 * Last, the RTSP text/parameters bodies (RFC 2326 §10.8, §10.9; ONVIF Streaming
 * Specification re-keying and multicast key retrieval): mikey_rtsp_set_parameter_body,
 * mikey_rtsp_get_parameter_body and mikey_rtsp_parameter_message, with the ONVIF
 * specification's SET_PARAMETER message and GET_PARAMETER answer. */
#include "check.h"
#include "fixtures.h"

#include <mikey.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OFFER_CSB 0xcd177e50u
#define DIGEST_CSB 0x01020304u

static char digest_b64[512];

/* The CSB ID of the message for media_index, its info in *info; 0 on failure, with the
 * status in *st. */
static uint32_t csb_of(const char *sdp, size_t media_index, mikey_sdp_key_mgmt_info_t *info,
                       mikey_status_t *st) {
    mikey_message_t *msg = NULL;
    mikey_header_info_t h;
    memset(&h, 0, sizeof h);
    *st = mikey_sdp_media_message(sdp, strlen(sdp), media_index, &msg, info);
    if (*st != MIKEY_OK) {
        CHECK(msg == NULL); /* nothing written on failure */
        return 0;
    }
    CHECK(msg != NULL);
    CHECK(mikey_message_header(msg, &h) == MIKEY_OK);
    mikey_message_free(msg);
    return h.csb_id;
}

static size_t count_of(const char *sdp) {
    size_t n = 12345;
    CHECK(mikey_sdp_media_count(sdp, strlen(sdp), &n) == MIKEY_OK);
    return n;
}

/* Session level and three media over CRLF: audio and text inherit the session-level
 * attribute; video has its own, folded over three lines, a keyp1 one before it (another
 * protocol, passed over) and a second MIKEY one after it (ignored: the count is 1). */
static void session_and_media_levels(void) {
    char sdp[2048];
    /* The DIGEST base64 folded: first 20 characters, then the rest on two indented lines. */
    size_t half = (strlen(digest_b64) - 20) / 2;
    int n = snprintf(sdp, sizeof sdp,
                     "v=0\r\n"
                     "o=alice 2891092738 2891092738 IN IP4 w-land.example.com\r\n"
                     "s=Cool stuff\r\n"
                     "a=key-mgmt:mikey %s\r\n" /* line 4 */
                     "t=0 0\r\n"
                     "m=audio 49000 RTP/SAVP 98\r\n" /* line 6 */
                     "a=rtpmap:98 AMR/8000\r\n"
                     "m=video 52230 RTP/SAVP 31\r\n" /* line 8 */
                     "a=key-mgmt:keyp1 AAAA\r\n"
                     "a=key-mgmt:mikey %.20s\r\n" /* line 10 */
                     " %.*s\r\n"
                     "\t%s\r\n"
                     "a=key-mgmt:mikey %s\r\n" /* line 13: ignored */
                     "m=text 11000 RTP/SAVP 100\r\n", /* line 14 */
                     RFC4567_OFFER_B64, digest_b64, (int)half, digest_b64 + 20,
                     digest_b64 + 20 + half, RFC4567_OFFER_B64);
    CHECK(n > 0 && (size_t)n < sizeof sdp);
    CHECK(count_of(sdp) == 3);

    mikey_sdp_key_mgmt_info_t info;
    mikey_status_t st;
    memset(&info, 0xa5, sizeof info);
    CHECK(csb_of(sdp, 0, &info, &st) == OFFER_CSB);
    CHECK(st == MIKEY_OK);
    CHECK(info.level == MIKEY_SDP_LEVEL_SESSION);
    CHECK(info.line == 4);
    CHECK(info.media_line == 6);
    CHECK(info.ignored_count == 0);

    memset(&info, 0xa5, sizeof info);
    CHECK(csb_of(sdp, 1, &info, &st) == DIGEST_CSB); /* the media-level one wins */
    CHECK(st == MIKEY_OK);
    CHECK(info.level == MIKEY_SDP_LEVEL_MEDIA);
    CHECK(info.line == 10);
    CHECK(info.media_line == 8);
    CHECK(info.ignored_count == 1);

    memset(&info, 0xa5, sizeof info);
    CHECK(csb_of(sdp, 2, &info, &st) == OFFER_CSB);
    CHECK(info.level == MIKEY_SDP_LEVEL_SESSION);
    CHECK(info.line == 4);
    CHECK(info.media_line == 14);
    CHECK(info.ignored_count == 0);

    /* out_info is optional. */
    CHECK(csb_of(sdp, 1, NULL, &st) == DIGEST_CSB);

    /* Index out of range: nothing written. */
    memset(&info, 0xa5, sizeof info);
    mikey_sdp_key_mgmt_info_t untouched = info;
    CHECK(csb_of(sdp, 3, &info, &st) == 0);
    CHECK(st == MIKEY_ERR_INDEX_OUT_OF_RANGE);
    CHECK(memcmp(&info, &untouched, sizeof info) == 0);
    CHECK(csb_of(sdp, (size_t)-1, &info, &st) == 0);
    CHECK(st == MIKEY_ERR_INDEX_OUT_OF_RANGE);
}

/* LF line ends, no m= line: one section, the session level, whose second MIKEY attribute
 * is ignored. A byte that is not UTF-8 in s= does not matter. */
static void session_level_only(void) {
    char sdp[1024];
    int n = snprintf(sdp, sizeof sdp,
                     "v=0\ns=Caf\xe9\na=key-mgmt:mikey %s\na=key-mgmt:mikey %s\n", digest_b64,
                     RFC4567_OFFER_B64);
    CHECK(n > 0 && (size_t)n < sizeof sdp);
    CHECK(count_of(sdp) == 1);
    mikey_sdp_key_mgmt_info_t info;
    mikey_status_t st;
    CHECK(csb_of(sdp, 0, &info, &st) == DIGEST_CSB);
    CHECK(info.level == MIKEY_SDP_LEVEL_SESSION);
    CHECK(info.line == 3);
    CHECK(info.media_line == 0);
    CHECK(info.ignored_count == 1);
    CHECK(csb_of(sdp, 1, &info, &st) == 0);
    CHECK(st == MIKEY_ERR_INDEX_OUT_OF_RANGE);
}

/* No MIKEY attribute for the section: MIKEY_ERR_NO_KEY_MGMT; a broken one: its status. */
static void missing_and_broken_attributes(void) {
    const char *none = "v=0\r\nm=audio 49000 RTP/SAVP 98\r\na=key-mgmt:keyp1 AAAA\r\n"
                       "m=video 52230 RTP/SAVP 31\r\n";
    mikey_status_t st;
    CHECK(count_of(none) == 2);
    CHECK(csb_of(none, 0, NULL, &st) == 0);
    CHECK(st == MIKEY_ERR_NO_KEY_MGMT);
    CHECK(csb_of(none, 1, NULL, &st) == 0);
    CHECK(st == MIKEY_ERR_NO_KEY_MGMT);
    CHECK(csb_of(none, 2, NULL, &st) == 0);
    CHECK(st == MIKEY_ERR_INDEX_OUT_OF_RANGE);
    CHECK(strcmp(mikey_status_str(MIKEY_ERR_NO_KEY_MGMT), "unknown status") != 0);

    CHECK(count_of("") == 1);
    CHECK(csb_of("", 0, NULL, &st) == 0);
    CHECK(st == MIKEY_ERR_NO_KEY_MGMT);

    CHECK(csb_of("m=audio 0 RTP/SAVP 0\na=key-mgmt:mikey A*==\n", 0, NULL, &st) == 0);
    CHECK(st == MIKEY_ERR_BASE64);
    CHECK(csb_of("m=audio 0 RTP/SAVP 0\na=key-mgmt:mikey\n", 0, NULL, &st) == 0);
    CHECK(st == MIKEY_ERR_KEY_MGMT_SYNTAX);
    CHECK(csb_of("m=audio 0 RTP/SAVP 0\na=key-mgmt:mikey AQID\n", 0, NULL, &st) == 0);
    CHECK(st == MIKEY_ERR_PARSE_TRUNCATED);
}

/* NULL arguments and the length bound. */
static void nulls_and_bounds(void) {
    mikey_message_t *msg = NULL;
    size_t n = 7;
    CHECK(mikey_sdp_media_count("v=0\n", 4, NULL) == MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_sdp_media_count(NULL, 4, &n) == MIKEY_ERR_NULL_POINTER);
    CHECK(n == 7);
    CHECK(mikey_sdp_media_count(NULL, 0, &n) == MIKEY_OK); /* an empty description */
    CHECK(n == 1);
    CHECK(mikey_sdp_media_message("v=0\n", 4, 0, NULL, NULL) == MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_sdp_media_message(NULL, 4, 0, &msg, NULL) == MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_sdp_media_message(NULL, 0, 0, &msg, NULL) == MIKEY_ERR_NO_KEY_MGMT);
    CHECK(msg == NULL);

    /* A description of exactly MIKEY_MAX_SDP_LEN bytes is read; one byte more is not. */
    size_t max = MIKEY_MAX_SDP_LEN;
    CHECK(max == 4 * (size_t)MIKEY_DEFAULT_MAX_MESSAGE_SIZE);
    char *big = malloc(max + 1);
    CHECK(big != NULL);
    if (!big) return;
    int head = snprintf(big, max, "a=key-mgmt:mikey %s\n", RFC4567_OFFER_B64);
    memset(big + head, 'x', max + 1 - (size_t)head);
    CHECK(mikey_sdp_media_count(big, max, &n) == MIKEY_OK);
    CHECK(mikey_sdp_media_message(big, max, 0, &msg, NULL) == MIKEY_OK);
    CHECK(msg != NULL);
    mikey_message_free(msg);
    msg = NULL;
    CHECK(mikey_sdp_media_count(big, max + 1, &n) == MIKEY_ERR_MESSAGE_TOO_LARGE);
    CHECK(mikey_sdp_media_message(big, max + 1, 0, &msg, NULL) == MIKEY_ERR_MESSAGE_TOO_LARGE);
    CHECK(msg == NULL);
    free(big);
}

/* The KMPID list of media section `index` of `sdp` into `out` (capacity `cap`). */
static mikey_status_t list_of(const char *sdp, size_t index, char *out, size_t cap) {
    size_t len = 0;
    mikey_status_t st = mikey_sdp_protocol_list(sdp, strlen(sdp), index, out, cap, &len);
    if (st == MIKEY_OK) {
        CHECK(len < cap);
        out[len < cap ? len : cap - 1] = '\0';
    }
    return st;
}

static void bidding_down(void) {
    static const uint8_t PSK[] = "bidding-down psk";
    mikey_config_builder_t *b = NULL;
    mikey_config_t *c = NULL;
    CHECK(mikey_config_builder_new(MIKEY_MODE_PSK, &b) == MIKEY_OK);
    CHECK(mikey_config_builder_set_psk(b, PSK, sizeof PSK - 1) == MIKEY_OK);
    CHECK(mikey_config_builder_build(b, &c) == MIKEY_OK);
    const mikey_stream_t stream = {0x45674567u, 0, 0};
    const char *other = "a=key-mgmt:keyp1 727gkdOshsuiSDF9sdhsdKnD/dhsoSJokdo7eWD\r\n";
    const char *head = "v=0\r\no=alice 1 1 IN IP4 x\r\ns=-\r\nt=0 0\r\n";
    const char *media = "m=audio 39000 RTP/SAVP 98\r\n";
    char list[64], sdp[4096], peeled[4096];
    uint8_t msg[1024], reply[256];
    size_t len = 0, reply_len = 9;

    /* The Initiator's offer lists MIKEY and keyp1 at the session level. */
    snprintf(sdp, sizeof sdp, "%sa=key-mgmt:mikey AQE=\r\n%s%s", head, other, media);
    CHECK(list_of(sdp, 0, list, sizeof list) == MIKEY_OK && strcmp(list, "mikey;keyp1") == 0);
    mikey_session_t *i = NULL, *r = NULL;
    CHECK(mikey_session_new(c, MIKEY_ROLE_INITIATOR, &i) == MIKEY_OK);
    CHECK(mikey_session_initiate_offer(i, &stream, 1, list, strlen(list), msg, sizeof msg,
                                       &len) == MIKEY_OK);
    char b64[1536];
    mikey_message_t *m = NULL;
    size_t b64_len = 0;
    CHECK(mikey_message_parse(msg, len, &m, NULL) == MIKEY_OK);
    CHECK(mikey_message_to_base64(m, b64, sizeof b64, &b64_len) == MIKEY_OK);
    mikey_message_free(m);
    snprintf(sdp, sizeof sdp, "%sa=key-mgmt:mikey %s\r\n%s%s", head, b64, other, media);
    snprintf(peeled, sizeof peeled, "%sa=key-mgmt:mikey %s\r\n%s", head, b64, media);

    /* Peeled: the Responder's list is "mikey" alone, the message says "mikey;keyp1". */
    CHECK(list_of(peeled, 0, list, sizeof list) == MIKEY_OK && strcmp(list, "mikey") == 0);
    CHECK(mikey_session_new(c, MIKEY_ROLE_RESPONDER, &r) == MIKEY_OK);
    CHECK(mikey_session_process_offer(r, msg, len, list, strlen(list), reply, sizeof reply,
                                      &reply_len) == MIKEY_ERR_BIDDING_DOWN);
    CHECK(reply_len == 0);
    mikey_state_t state = 99;
    CHECK(mikey_session_state(r, &state) == MIKEY_OK && state == MIKEY_STATE_IDLE);
    /* Unaltered: passes, to the same session. */
    CHECK(list_of(sdp, 0, list, sizeof list) == MIKEY_OK);
    CHECK(mikey_session_process_offer(r, msg, len, list, strlen(list), reply, sizeof reply,
                                      &reply_len) == MIKEY_OK);
    CHECK(mikey_session_state(r, &state) == MIKEY_OK && state == MIKEY_STATE_ESTABLISHED);

    /* Misuse: an Initiator cannot process an offer; bad lists and buffers. */
    CHECK(mikey_session_process_offer(i, msg, len, list, strlen(list), reply, sizeof reply,
                                      &reply_len) == MIKEY_ERR_WRONG_STATE);
    CHECK(mikey_session_process_offer(r, msg, len, NULL, 3, reply, sizeof reply, &reply_len) ==
          MIKEY_ERR_NULL_POINTER);
    mikey_session_t *i2 = NULL;
    CHECK(mikey_session_new(c, MIKEY_ROLE_INITIATOR, &i2) == MIKEY_OK);
    CHECK(mikey_session_initiate_offer(i2, &stream, 1, "mikey;;x", 8, msg, sizeof msg, &len) ==
          MIKEY_ERR_CONFIG);
    CHECK(mikey_session_initiate_offer(i2, &stream, 1, "\xff", 1, msg, sizeof msg, &len) ==
          MIKEY_ERR_INVALID_ARGUMENT);
    CHECK(mikey_session_initiate_offer(NULL, &stream, 1, "mikey", 5, msg, sizeof msg, &len) ==
          MIKEY_ERR_NULL_POINTER);
    size_t need = 0;
    CHECK(mikey_sdp_protocol_list(sdp, strlen(sdp), 0, list, 3, &need) ==
          MIKEY_ERR_BUFFER_TOO_SMALL);
    CHECK(need == strlen("mikey;keyp1"));
    CHECK(mikey_sdp_protocol_list(sdp, strlen(sdp), 1, list, sizeof list, &need) ==
          MIKEY_ERR_INDEX_OUT_OF_RANGE);
    CHECK(list_of("v=0\r\nm=audio 1 RTP/AVP 0\r\n", 0, list, sizeof list) ==
          MIKEY_ERR_NO_KEY_MGMT);
    CHECK(mikey_sdp_protocol_list(sdp, strlen(sdp), 0, list, sizeof list, NULL) ==
          MIKEY_ERR_NULL_POINTER);
    mikey_session_free(i);
    mikey_session_free(i2);
    mikey_session_free(r);
    mikey_config_free(c);
}

/* The ONVIF Streaming Specification's re-keying message (SET_PARAMETER) and a device's
 * answer to GET_PARAMETER mikey (multicast); their CSB IDs. */
static const char ONVIF_SET_B64[] =
    "AQAFAGgCr8EBAADSvxgkAAAAAAoAAdOOK7UihqIBAAAAGAABAQEBEAIBAQMBFAcBAQgBAQoBAQsBCgAAACcAIQAe"
    "pekjs88g+Q7AU6LAvRsoVyn18ZW1JuXI9qht4g6+BAAAAAIA";
static const char ONVIF_GET_B64[] =
    "AQAFAGrVolgBAADdBcAoAAAAAAsA2/K83QArhBIKEGrVolg1GZvp7DPyFCdYmXABAAAAGwABAQEBEAIBAQMBFAQB"
    "DgcBAQgBAQoBAQsBCgAAACcAIQAe7OzS5umZMXHqaegZC3UkDwbC5NNpj4b8+fB6MROeBAAAAA0A";
#define ONVIF_SET_CSB 0x6802afc1u
#define ONVIF_GET_CSB 0x6ad5a258u

/* The message of the text/parameters body `body` into `out` (capacity `cap`); its length
 * in *len. */
static mikey_status_t body_message(const char *body, uint8_t *out, size_t cap, size_t *len) {
    return mikey_rtsp_parameter_message(body, strlen(body), out, cap, len);
}

/* The CSB ID of the message in `data`, 0 when it does not parse. */
static uint32_t csb_of_bytes(const uint8_t *data, size_t len) {
    mikey_message_t *msg = NULL;
    mikey_header_info_t h;
    memset(&h, 0, sizeof h);
    if (mikey_message_parse(data, len, &msg, NULL) != MIKEY_OK) return 0;
    CHECK(mikey_message_header(msg, &h) == MIKEY_OK);
    mikey_message_free(msg);
    return h.csb_id;
}

/* Round trip: a message's SET_PARAMETER body reads back byte for byte, the body is the
 * ONVIF specification's (its Content-Length 145), and a GET_PARAMETER answer reads too. */
static void rtsp_parameter_round_trip(void) {
    char body[512];
    uint8_t msg[256], back[256];
    size_t msg_len = 0, body_len = 0, back_len = 0;
    mikey_message_t *m = NULL;
    CHECK(mikey_message_parse_text(ONVIF_SET_B64, strlen(ONVIF_SET_B64), &m, NULL) == MIKEY_OK);
    CHECK(mikey_message_serialize(m, msg, sizeof msg, &msg_len) == MIKEY_OK);
    mikey_message_free(m);

    CHECK(mikey_rtsp_set_parameter_body(msg, msg_len, body, sizeof body, &body_len) == MIKEY_OK);
    CHECK(body_len == 145);
    char expected[512];
    snprintf(expected, sizeof expected, "mikey: %s\r\n", ONVIF_SET_B64);
    CHECK(body_len == strlen(expected) && memcmp(body, expected, body_len) == 0);
    CHECK(mikey_rtsp_parameter_message(body, body_len, back, sizeof back, &back_len) == MIKEY_OK);
    CHECK(back_len == msg_len && memcmp(back, msg, msg_len) == 0);
    CHECK(csb_of_bytes(back, back_len) == ONVIF_SET_CSB);
    /* mikey_message_parse_text takes the body as well. */
    CHECK(mikey_message_parse_text(body, body_len, &m, NULL) == MIKEY_OK);
    mikey_message_free(m);

    /* The device's answer to GET_PARAMETER as a whole RTSP response, LF line ends, its
     * base64 wrapped for print as the specification shows it; the parameter in capitals
     * among others. */
    char answer[1024];
    snprintf(answer, sizeof answer,
             "RTSP/1.0 200 OK\nCSeq: 4\nContent-Type: text/parameters\n\n"
             "packets_received: 10\nMIKEY : %.79s\n%s\njitter: 0.3838\n",
             ONVIF_GET_B64, ONVIF_GET_B64 + 79);
    memset(back, 0, sizeof back);
    CHECK(body_message(answer, back, sizeof back, &back_len) == MIKEY_OK);
    CHECK(csb_of_bytes(back, back_len) == ONVIF_GET_CSB);

    /* The request asking for it. */
    char request[16];
    size_t request_len = 0;
    CHECK(mikey_rtsp_get_parameter_body(request, sizeof request, &request_len) == MIKEY_OK);
    CHECK(request_len == 7 && memcmp(request, "mikey\r\n", 7) == 0);
}

/* Errors: each status, and no output written on failure. */
static void rtsp_parameter_errors(void) {
    uint8_t out[64];
    char text[64];
    size_t len = 1234;
    memset(out, 0xa5, sizeof out);

    /* The GET_PARAMETER request names the parameter without a value; bodies without it. */
    CHECK(body_message("mikey\r\n", out, sizeof out, &len) == MIKEY_ERR_NO_KEY_MGMT);
    CHECK(body_message("mikey:\r\n", out, sizeof out, &len) == MIKEY_ERR_NO_KEY_MGMT);
    CHECK(body_message("jitter: 0.3838\r\n", out, sizeof out, &len) == MIKEY_ERR_NO_KEY_MGMT);
    CHECK(mikey_rtsp_parameter_message(NULL, 0, out, sizeof out, &len) == MIKEY_ERR_NO_KEY_MGMT);
    CHECK(body_message("mikey: AQID\r\nmikey: AQID\r\n", out, sizeof out, &len) ==
          MIKEY_ERR_KEY_MGMT_SYNTAX);
    CHECK(body_message("mikey: A*ID\r\n", out, sizeof out, &len) == MIKEY_ERR_BASE64);
    CHECK(len == 1234 && out[0] == 0xa5);

    /* Buffers: too small gives the length and leaves the buffer; a size query with NULL. */
    CHECK(body_message("mikey: AQIDBAU=\r\n", out, 4, &len) == MIKEY_ERR_BUFFER_TOO_SMALL);
    CHECK(len == 5 && out[0] == 0xa5);
    len = 0;
    CHECK(body_message("mikey: AQIDBAU=\r\n", NULL, 0, &len) == MIKEY_ERR_BUFFER_TOO_SMALL);
    CHECK(len == 5);
    CHECK(body_message("mikey: AQIDBAU=\r\n", out, sizeof out, &len) == MIKEY_OK);
    CHECK(len == 5 && out[0] == 1 && out[4] == 5);

    static const uint8_t five[5] = {1, 2, 3, 4, 5};
    CHECK(mikey_rtsp_set_parameter_body(five, 5, text, 10, &len) == MIKEY_ERR_BUFFER_TOO_SMALL);
    CHECK(len == strlen("mikey: AQIDBAU=\r\n"));
    CHECK(mikey_rtsp_get_parameter_body(text, 6, &len) == MIKEY_ERR_BUFFER_TOO_SMALL);
    CHECK(len == 7);
    CHECK(mikey_rtsp_get_parameter_body(NULL, 0, &len) == MIKEY_ERR_BUFFER_TOO_SMALL);

    /* NULL and empty arguments. */
    len = 77;
    CHECK(mikey_rtsp_parameter_message("mikey: AQID", 11, out, sizeof out, NULL) ==
          MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_rtsp_parameter_message(NULL, 11, out, sizeof out, &len) ==
          MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_rtsp_parameter_message("mikey: AQID", 11, NULL, sizeof out, &len) ==
          MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_rtsp_set_parameter_body(five, 5, text, sizeof text, NULL) ==
          MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_rtsp_set_parameter_body(NULL, 5, text, sizeof text, &len) ==
          MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_rtsp_set_parameter_body(five, 5, NULL, sizeof text, &len) ==
          MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_rtsp_set_parameter_body(NULL, 0, text, sizeof text, &len) ==
          MIKEY_ERR_INVALID_ARGUMENT);
    CHECK(mikey_rtsp_get_parameter_body(text, sizeof text, NULL) == MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_rtsp_get_parameter_body(NULL, sizeof text, &len) == MIKEY_ERR_NULL_POINTER);
    CHECK(len == 77);
}

int main(void) {
    mikey_message_t *digest = NULL;
    size_t len = 0;
    CHECK(mikey_message_parse(DIGEST_I_MESSAGE, sizeof DIGEST_I_MESSAGE, &digest, NULL) ==
          MIKEY_OK);
    CHECK(mikey_message_to_base64(digest, digest_b64, sizeof digest_b64, &len) == MIKEY_OK);
    CHECK(len > 40 && len < sizeof digest_b64 && strlen(digest_b64) == len);
    mikey_message_free(digest);

    session_and_media_levels();
    session_level_only();
    missing_and_broken_attributes();
    nulls_and_bounds();
    bidding_down();
    rtsp_parameter_round_trip();
    rtsp_parameter_errors();
    return check_report("test_sdp");
}
