/* url.c: the URLs load runs accept, "http://IPV4[:PORT][/PATH]". The open-loop
 * generator connects by address, so a URL naming a host it would have to look up is
 * refused here with a clear message instead of failing later. */
#include "load.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

int load_url_parse(const char *url, load_url *out, wasmvs_error *err)
{
    static const char scheme[] = "http://";
    memset(out, 0, sizeof *out);
    if (strncmp(url, scheme, sizeof scheme - 1) != 0)
        return wasmvs_fail(err, "URL \"%s\": expected it to start with http://", url);
    const char *host = url + sizeof scheme - 1;
    size_t host_len = strcspn(host, ":/");
    if (host_len == 0 || host_len >= sizeof out->host)
        return wasmvs_fail(err, "URL \"%s\": expected an IPv4 address after http://", url);
    memcpy(out->host, host, host_len);
    if (strcmp(out->host, "localhost") == 0) strcpy(out->host, "127.0.0.1");
    struct in_addr addr;
    if (inet_pton(AF_INET, out->host, &addr) != 1)
        return wasmvs_fail(err, "URL \"%s\": expected an IPv4 address, found \"%s\"", url,
                           out->host);
    const char *rest = host + host_len;
    out->port = 80;
    if (*rest == ':') {
        char *end;
        long port = strtol(rest + 1, &end, 10);
        if (end == rest + 1 || port < 1 || port > 65535 || (*end != '\0' && *end != '/'))
            return wasmvs_fail(err, "URL \"%s\": expected a port 1-65535 after ':'", url);
        out->port = (int)port;
        rest = end;
    }
    const char *path = *rest ? rest : "/";
    if (strlen(path) >= sizeof out->path)
        return wasmvs_fail(err, "URL \"%s\": path longer than %zu bytes", url,
                           sizeof out->path - 1);
    strcpy(out->path, path);
    return 0;
}
