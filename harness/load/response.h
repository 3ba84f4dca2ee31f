/* response.h: an incremental HTTP/1.1 response reader for the open-loop generator
 * (internal to harness/load). Fed whatever recv() returned, it says when one whole
 * response has arrived, its status, and whether the connection stays open. */
#ifndef WASMVS_LOAD_RESPONSE_H
#define WASMVS_LOAD_RESPONSE_H

#include <stddef.h>
#include <stdint.h>

enum { LOAD_RESPONSE_MORE, LOAD_RESPONSE_DONE, LOAD_RESPONSE_BAD };

typedef struct load_response {
    int state;
    int status;      /* e.g. 200, once the status line is read */
    int keep_alive;  /* the connection may carry the next request */
    int until_close; /* no Content-Length: the body ends with the connection */
    uint64_t body_left;
    size_t line_len;
    char line[1024];   /* the status or header line being assembled */
    char problem[160]; /* what was wrong, for LOAD_RESPONSE_BAD */
} load_response;

void load_response_begin(load_response *r);
/* Consumes bytes up to the end of the response (*used of len) and returns
 * LOAD_RESPONSE_DONE, or all of them and LOAD_RESPONSE_MORE, or LOAD_RESPONSE_BAD. */
int load_response_feed(load_response *r, const char *data, size_t len, size_t *used);
/* The peer closed: DONE when the body was to end with the connection, else BAD. */
int load_response_end_of_stream(load_response *r);

#endif
