/* A user of the installed libsrtp glue: mikey_srtp.h beside mikey.h, found through
 * mikey's pkg-config Cflags, with libsrtp2 linked by the program itself. Prints the
 * tag lengths of AES_256_CM_HMAC_SHA1_32 ("4 10") and exits 0. */
#include <srtp2/srtp.h>
#include <mikey_srtp.h>
#include <stdio.h>

int main(void) {
    srtp_crypto_policy_t rtp, rtcp;
    if (mikey_srtp_crypto_policies(MIKEY_SRTP_AES256_CM_SHA1_32, &rtp, &rtcp) != MIKEY_OK)
        return 1;
    if (mikey_srtp_policy(NULL, 0, MIKEY_SRTP_OUTBOUND, 0, NULL) != MIKEY_ERR_NULL_POINTER)
        return 1;
    printf("%d %d\n", rtp.auth_tag_len, rtcp.auth_tag_len);
    return 0;
}
