/* mikey_sdp_media_count and mikey_sdp_media_message: the MIKEY message of one media
 * section of a whole SDP description, a media-level a=key-mgmt over the session-level one
 * (RFC 4567 §3.1). Two messages tell the attributes apart: RFC4567_OFFER (CSB ID
 * 0xcd177e50) and DIGEST_I_MESSAGE (CSB ID 0x01020304). */
#include "check.h"
#include "fixtures.h"

#include <mikey.h>
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
    return check_report("test_sdp");
}
