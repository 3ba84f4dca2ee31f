/* docker_api.c: Docker Engine API calls over the unix socket (see docker_api.h). */
#include "docker_api.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../cancel.h"

typedef struct docker_buffer {
    char *data;
    size_t length, capacity;
} docker_buffer;

static size_t docker_api_collect(char *data, size_t size, size_t count, void *user)
{
    docker_buffer *buffer = user;
    size_t length = size * count;
    if (buffer->length + length + 1 > buffer->capacity) {
        size_t capacity = buffer->capacity ? buffer->capacity : 4096;
        while (capacity < buffer->length + length + 1)
            capacity *= 2;
        char *grown = realloc(buffer->data, capacity);
        if (!grown) return 0; /* makes curl fail the transfer */
        buffer->data = grown;
        buffer->capacity = capacity;
    }
    memcpy(buffer->data + buffer->length, data, length);
    buffer->length += length;
    buffer->data[buffer->length] = '\0';
    return length;
}

/* Called by libcurl during transfers: a non-zero return aborts the call. */
static int docker_api_progress(void *user, curl_off_t a, curl_off_t b, curl_off_t c, curl_off_t d)
{
    (void)a, (void)b, (void)c, (void)d;
    const docker_api *api = user;
    return api->abortable && cancel_requested();
}

static int docker_api_global_ready;

int docker_api_open(docker_api *api, const char *socket_path, wasmvs_error *err)
{
    memset(api, 0, sizeof *api);
    if (!docker_api_global_ready) {
        curl_global_init(CURL_GLOBAL_DEFAULT);
        docker_api_global_ready = 1;
    }
    snprintf(api->socket, sizeof api->socket, "%s", socket_path ? socket_path : DOCKER_API_SOCKET);
    api->curl = curl_easy_init();
    if (!api->curl) return wasmvs_fail(err, "docker: curl_easy_init failed");
    api->abortable = true;
    return 0;
}

void docker_api_close(docker_api *api)
{
    if (api->curl) curl_easy_cleanup(api->curl);
    api->curl = NULL;
}

int docker_api_call(docker_api *api, const char *method, const char *path, const char *content_type,
                    const void *body, size_t length, long timeout_ms, docker_response *response,
                    wasmvs_error *err)
{
    memset(response, 0, sizeof *response);
    CURL *curl = api->curl;
    curl_easy_reset(curl); /* keeps the connection, forgets the last call's options */
    char url[2048], header[128];
    snprintf(url, sizeof url, "http://localhost%s", path);
    snprintf(header, sizeof header, "Content-Type: %s",
             content_type ? content_type : "application/json");
    struct curl_slist *headers = curl_slist_append(NULL, header);
    docker_buffer buffer = {0};
    curl_easy_setopt(curl, CURLOPT_UNIX_SOCKET_PATH, api->socket);
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, docker_api_collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &buffer);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, docker_api_progress);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, api);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    if (timeout_ms > 0) curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout_ms);
    if (body || strcmp(method, "POST") == 0) {
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body ? body : "");
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)(body ? length : 0));
    }
    CURLcode code = curl_easy_perform(curl);
    curl_slist_free_all(headers);
    response->body = buffer.data ? buffer.data : calloc(1, 1);
    response->length = buffer.length;
    if (code != CURLE_OK) {
        response->timed_out = code == CURLE_OPERATION_TIMEDOUT;
        response->cancelled = code == CURLE_ABORTED_BY_CALLBACK;
        return wasmvs_fail(err, "docker: %s %s on %s: %s", method, path, api->socket,
                           curl_easy_strerror(code));
    }
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response->status);
    return 0;
}

int docker_api_json(docker_api *api, const char *method, const char *path, json_t *body,
                    long timeout_ms, long *status, json_t **out, wasmvs_error *err)
{
    if (out) *out = NULL;
    char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
    docker_response response;
    int result = docker_api_call(api, method, path, NULL, text, text ? strlen(text) : 0, timeout_ms,
                                 &response, err);
    free(text);
    if (result == 0) {
        *status = response.status;
        if (out && response.length) *out = json_loads(response.body, 0, NULL);
        if (response.status >= 400)
            result = wasmvs_fail(err, "docker: %s %s: HTTP %ld: %s", method, path, response.status,
                                 docker_api_message(&response));
    }
    docker_response_free(&response);
    return result;
}

void docker_response_free(docker_response *response)
{
    free(response->body);
    memset(response, 0, sizeof *response);
}

const char *docker_api_message(const docker_response *response)
{
    static char message[512];
    json_t *doc = json_loads(response->body ? response->body : "", 0, NULL);
    const char *text = json_string_value(json_object_get(doc, "message"));
    snprintf(message, sizeof message, "%s", text ? text : (response->body ? response->body : ""));
    json_decref(doc);
    size_t length = strlen(message);
    while (length && (message[length - 1] == '\n' || message[length - 1] == '\r'))
        message[--length] = '\0';
    return message;
}

int docker_api_attach_stdin(docker_api *api, const char *id, void **handle, int *fd,
                            wasmvs_error *err)
{
    *handle = NULL;
    *fd = -1;
    CURL *curl = curl_easy_init();
    if (!curl) return wasmvs_fail(err, "docker: curl_easy_init failed");
    curl_easy_setopt(curl, CURLOPT_UNIX_SOCKET_PATH, api->socket);
    curl_easy_setopt(curl, CURLOPT_URL, "http://localhost/");
    curl_easy_setopt(curl, CURLOPT_CONNECT_ONLY, 1L); /* the HTTP upgrade is done by hand */
    CURLcode code = curl_easy_perform(curl);
    curl_socket_t socket_fd = CURL_SOCKET_BAD;
    if (code == CURLE_OK) code = curl_easy_getinfo(curl, CURLINFO_ACTIVESOCKET, &socket_fd);
    if (code != CURLE_OK || socket_fd == CURL_SOCKET_BAD) {
        curl_easy_cleanup(curl);
        return wasmvs_fail(err, "docker: attach %s: cannot connect to %s: %s", id, api->socket,
                           curl_easy_strerror(code));
    }
    /* libcurl leaves its sockets non-blocking; this stream is driven by plain calls. */
    int flags = fcntl((int)socket_fd, F_GETFL);
    if (flags >= 0) fcntl((int)socket_fd, F_SETFL, flags & ~O_NONBLOCK);
    char request[512];
    int length = snprintf(request, sizeof request,
                          "POST /containers/%s/attach?stream=1&stdin=1 HTTP/1.1\r\n"
                          "Host: docker\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n",
                          id);
    if (send(socket_fd, request, (size_t)length, MSG_NOSIGNAL) != length) {
        curl_easy_cleanup(curl);
        return wasmvs_fail(err, "docker: attach %s: cannot send the request: %s", id,
                           strerror(errno));
    }
    /* Read the answer's head byte by byte, so nothing of the stream after it is eaten. */
    char head[1024];
    size_t used = 0;
    while (used + 1 < sizeof head) {
        ssize_t n = recv(socket_fd, head + used, 1, 0);
        if (n < 0 && errno == EINTR && !cancel_requested()) continue;
        if (n <= 0) break;
        used++;
        if (used >= 4 && memcmp(head + used - 4, "\r\n\r\n", 4) == 0) break;
    }
    head[used] = '\0';
    if (strncmp(head, "HTTP/1.1 101", 12) != 0 && strncmp(head, "HTTP/1.1 200", 12) != 0) {
        curl_easy_cleanup(curl);
        head[strcspn(head, "\r\n")] = '\0';
        return wasmvs_fail(err, "docker: attach %s: expected HTTP 101 (upgraded), found \"%s\"", id,
                           head);
    }
    *handle = curl;
    *fd = (int)socket_fd;
    return 0;
}

int docker_api_attach_send(int fd, const char *data, size_t length, wasmvs_error *err)
{
    for (size_t done = 0; done < length;) {
        ssize_t n = send(fd, data + done, length - done, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR && !cancel_requested()) continue;
        if (n <= 0) return wasmvs_fail(err, "docker: writing stdin: %s", strerror(errno));
        done += (size_t)n;
    }
    shutdown(fd, SHUT_WR); /* end of input: the daemon closes the container's stdin */
    return 0;
}

void docker_api_attach_close(void *handle)
{
    if (handle) curl_easy_cleanup(handle);
}

static void docker_api_append(char **text, size_t *length, const char *data, size_t count)
{
    char *grown = realloc(*text, *length + count + 1);
    if (!grown) return;
    memcpy(grown + *length, data, count);
    *length += count;
    grown[*length] = '\0';
    *text = grown;
}

void docker_api_demultiplex(const char *body, size_t length, char **out, char **err)
{
    size_t out_length = 0, err_length = 0;
    *out = calloc(1, 1);
    *err = calloc(1, 1);
    const unsigned char *p = (const unsigned char *)body;
    size_t at = 0;
    while (at + 8 <= length) {
        uint32_t size = (uint32_t)p[at + 4] << 24 | (uint32_t)p[at + 5] << 16 |
                        (uint32_t)p[at + 6] << 8 | (uint32_t)p[at + 7];
        size_t available = length - at - 8;
        size_t take = size < available ? size : available;
        if (p[at] == 2)
            docker_api_append(err, &err_length, body + at + 8, take);
        else
            docker_api_append(out, &out_length, body + at + 8, take);
        at += 8 + take;
    }
}
