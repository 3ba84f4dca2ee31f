/* docker_api.h: the Docker Engine API over its unix socket, with libcurl. Plain
 * request/response calls on one kept-alive connection, plus the hijacked "attach"
 * stream that carries a container's stdin. Calls made while `abortable` is set stop
 * when the run is cancelled (Ctrl-C); clean-up calls clear it so they always finish. */
#ifndef WASMVS_DOCKER_API_H
#define WASMVS_DOCKER_API_H

#include <curl/curl.h>
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "../error.h"

#define DOCKER_API_SOCKET "/var/run/docker.sock"

typedef struct docker_api {
    CURL *curl;
    bool abortable;
    char socket[108];
} docker_api;

typedef struct docker_response {
    long status; /* HTTP status */
    char *body;  /* NUL-terminated, malloc'ed */
    size_t length;
    bool timed_out;
    bool cancelled;
} docker_response;

int docker_api_open(docker_api *api, const char *socket_path, wasmvs_error *err);
void docker_api_close(docker_api *api);

/* One call. body may be NULL; content_type defaults to application/json. timeout_ms 0:
 * none. Returns -1 only when no HTTP answer came (not running, timeout, cancelled):
 * response->timed_out/cancelled say which. Any HTTP status is returned as 0. */
int docker_api_call(docker_api *api, const char *method, const char *path, const char *content_type,
                    const void *body, size_t length, long timeout_ms, docker_response *response,
                    wasmvs_error *err);

/* The same with a JSON body (may be NULL) and a JSON answer parsed into *out (NULL when
 * the body is empty or not JSON). */
int docker_api_json(docker_api *api, const char *method, const char *path, json_t *body,
                    long timeout_ms, long *status, json_t **out, wasmvs_error *err);

void docker_response_free(docker_response *response);

/* The message of an error answer ({"message": "..."}), or the body itself. */
const char *docker_api_message(const docker_response *response);

/* Opens the attach stream of a created container (stdin only) and returns its socket,
 * ready for writing the container's stdin; -1 with err on failure. The caller closes it
 * with docker_api_attach_close. */
int docker_api_attach_stdin(docker_api *api, const char *id, void **handle, int *fd,
                            wasmvs_error *err);
/* Writes data to the attached stdin and closes the writing side, which ends the
 * container's stdin (StdinOnce). */
int docker_api_attach_send(int fd, const char *data, size_t length, wasmvs_error *err);
void docker_api_attach_close(void *handle);

/* Demultiplexes a logs body (8-byte frame headers: stream, 0, 0, 0, big-endian size)
 * into stdout and stderr, both malloc'ed and NUL-terminated. */
void docker_api_demultiplex(const char *body, size_t length, char **out, char **err);

#endif
