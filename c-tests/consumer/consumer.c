/* A program built against an installed libmikey with pkg-config or find_package. */
#include <mikey.h>
#include <stdio.h>
#include <string.h>

int main(void) {
    static const char line[] =
        "a=key-mgmt:mikey AQEFgM0XflABAAAAAAAAAAAAAAYAyONQ6gAAAAAJAAAQbWlja2V5QG1vdXNlLmNvbQABn8HdGE5BMDXFIuGEga+62AgY5cc=";
    struct mikey_message_t *msg = NULL;
    mikey_status_t st = mikey_message_parse_text(line, strlen(line), &msg, NULL);
    if (st != MIKEY_OK) {
        fprintf(stderr, "parse: %s\n", mikey_status_str(st));
        return 1;
    }
    size_t n = 0;
    mikey_message_payload_count(msg, &n);
    mikey_message_free(msg);
    printf("mikey %s: %zu payloads\n", mikey_version(), n);
    return n == 3 ? 0 : 1;
}
