/* response.c: reads HTTP/1.1 responses incrementally for the open-loop generator.
 * Framing follows RFC 9112 6.3 for the cases a benchmark server produces: a
 * Content-Length body, or a body ending with the connection. Chunked bodies are
 * reported as unsupported rather than misread. */
#include "response.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

enum { STATE_STATUS_LINE, STATE_HEADERS, STATE_BODY, STATE_DONE };

void load_response_begin(load_response *r)
{
    r->state = STATE_STATUS_LINE;
    r->status = 0;
    r->keep_alive = 1;
    r->until_close = 1;
    r->body_left = 0;
    r->line_len = 0;
    r->problem[0] = '\0';
}

static int response_bad(load_response *r, const char *what, const char *line)
{
    snprintf(r->problem, sizeof r->problem, "%s, found \"%.80s\"", what, line);
    return LOAD_RESPONSE_BAD;
}

static int response_status_line(load_response *r, const char *line)
{
    int minor, status;
    char after;
    if (sscanf(line, "HTTP/1.%d %3d%c", &minor, &status, &after) < 2 || status < 100 ||
        status > 599)
        return response_bad(r, "expected a status line \"HTTP/1.x NNN ...\"", line);
    r->status = status;
    r->keep_alive = minor >= 1; /* HTTP/1.0 closes unless it says keep-alive */
    return LOAD_RESPONSE_MORE;
}

static int response_header(load_response *r, const char *line)
{
    const char *colon = strchr(line, ':');
    if (!colon || colon == line) return response_bad(r, "expected a header \"Name: value\"", line);
    size_t name_len = (size_t)(colon - line);
    const char *value = colon + 1;
    while (*value == ' ' || *value == '\t')
        value++;
    if (name_len == 14 && strncasecmp(line, "content-length", 14) == 0) {
        unsigned long long n = 0;
        const char *p = value;
        if (*p < '0' || *p > '9')
            return response_bad(r, "expected a number in Content-Length", line);
        for (; *p >= '0' && *p <= '9'; p++)
            n = n * 10 + (unsigned)(*p - '0');
        r->body_left = n;
        r->until_close = 0;
    } else if (name_len == 17 && strncasecmp(line, "transfer-encoding", 17) == 0) {
        return response_bad(r, "expected a Content-Length body (chunked is not supported)", line);
    } else if (name_len == 10 && strncasecmp(line, "connection", 10) == 0) {
        if (strcasestr(value, "close"))
            r->keep_alive = 0;
        else if (strcasestr(value, "keep-alive"))
            r->keep_alive = 1;
    }
    return LOAD_RESPONSE_MORE;
}

/* The blank line after the headers: decide how the body is framed. */
static int response_headers_done(load_response *r)
{
    /* 1xx, 204 and 304 carry no body (RFC 9112 6.3, rule 1). */
    if (r->status < 200 || r->status == 204 || r->status == 304) {
        r->until_close = 0;
        r->body_left = 0;
    }
    if (r->until_close) r->keep_alive = 0;
    r->state = r->body_left || r->until_close ? STATE_BODY : STATE_DONE;
    return r->state == STATE_DONE ? LOAD_RESPONSE_DONE : LOAD_RESPONSE_MORE;
}

int load_response_feed(load_response *r, const char *data, size_t len, size_t *used)
{
    size_t i = 0;
    int result = LOAD_RESPONSE_MORE;
    while (i < len && result == LOAD_RESPONSE_MORE) {
        if (r->state == STATE_BODY) {
            if (r->until_close) {
                i = len;
                break;
            }
            size_t take = len - i < r->body_left ? len - i : (size_t)r->body_left;
            i += take;
            r->body_left -= take;
            if (r->body_left == 0) {
                r->state = STATE_DONE;
                result = LOAD_RESPONSE_DONE;
            }
            break;
        }
        if (r->state == STATE_DONE)
            return response_bad(r, "expected no bytes after the response", "");
        /* status line or headers: assemble one line at a time */
        const char *nl = memchr(data + i, '\n', len - i);
        size_t chunk = nl ? (size_t)(nl - (data + i)) : len - i;
        if (r->line_len + chunk >= sizeof r->line) {
            r->line[r->line_len] = '\0';
            result = response_bad(r, "expected header lines under 1 KiB", r->line);
            break;
        }
        memcpy(r->line + r->line_len, data + i, chunk);
        r->line_len += chunk;
        i += chunk;
        if (!nl) break;
        i++; /* the '\n' */
        if (r->line_len && r->line[r->line_len - 1] == '\r') r->line_len--;
        r->line[r->line_len] = '\0';
        r->line_len = 0;
        if (r->state == STATE_STATUS_LINE) {
            result = response_status_line(r, r->line);
            r->state = STATE_HEADERS;
        } else if (r->line[0] == '\0') {
            result = response_headers_done(r);
        } else {
            result = response_header(r, r->line);
        }
    }
    *used = i;
    return result;
}

int load_response_end_of_stream(load_response *r)
{
    if (r->state == STATE_BODY && r->until_close) {
        r->state = STATE_DONE;
        return LOAD_RESPONSE_DONE;
    }
    return response_bad(r, "expected a complete response before the connection closed",
                        r->state == STATE_STATUS_LINE && r->line_len == 0 ? "nothing"
                                                                          : "part of one");
}
