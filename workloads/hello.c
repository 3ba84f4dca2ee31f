/* hello: the cold-start workload. Reads one JSON object from one line of stdin, with a
 * string field "name" and an integer field "n", and writes one transformed line:
 *   in:  {"name":"wasmvs","n":41}
 *   out: {"greeting":"hello, wasmvs","n":42,"length":6}
 * Small on purpose: a cold start should measure start-up, not work. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Finds "key": in a flat JSON object and returns the character after the colon. */
static const char *find_value(const char *json, const char *key)
{
    size_t key_len = strlen(key);
    for (const char *p = strchr(json, '"'); p; p = strchr(p + 1, '"')) {
        if (strncmp(p + 1, key, key_len) == 0 && p[1 + key_len] == '"') {
            const char *q = p + 2 + key_len;
            while (isspace((unsigned char)*q)) q++;
            if (*q == ':') {
                q++;
                while (isspace((unsigned char)*q)) q++;
                return q;
            }
        }
    }
    return NULL;
}

int main(void)
{
    char line[4096];
    if (!fgets(line, sizeof line, stdin)) {
        fprintf(stderr, "hello: expected one JSON line on stdin, got nothing\n");
        return 2;
    }
    const char *name = find_value(line, "name");
    const char *n = find_value(line, "n");
    if (!name || *name != '"' || !n) {
        fprintf(stderr, "hello: expected {\"name\":\"...\",\"n\":N}, got %s", line);
        return 2;
    }
    name++;
    const char *name_end = strchr(name, '"');
    if (!name_end) {
        fprintf(stderr, "hello: unterminated \"name\" string\n");
        return 2;
    }
    long value = strtol(n, NULL, 10);
    int length = (int)(name_end - name);
    printf("{\"greeting\":\"hello, %.*s\",\"n\":%ld,\"length\":%d}\n", length, name, value + 1,
           length);
    return 0;
}
