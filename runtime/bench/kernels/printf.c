/* printf: n HTTP response heads formatted with snprintf (a status string, a length,
 * an optional header), each folded into a checksum. Measures libc's formatting code:
 * glibc natively, wasi-libc's musl vfprintf in Wasm (format scanning byte by byte,
 * small calls, short copies). */
#include <stdint.h>
#include <stdio.h>

uint64_t run(uint32_t n);
uint64_t run(uint32_t n)
{
    static const char *const status[4] = {"200 OK", "404 Not Found", "400 Bad Request",
                                          "204 No Content"};
    char head[256];
    uint64_t sum = 0;
    for (uint32_t i = 0; i < n; i++) {
        int len = snprintf(head, sizeof head,
                           "HTTP/1.1 %s\r\nContent-Type: text/plain\r\nContent-Length: %zu\r\n%s\r\n",
                           status[i & 3], (size_t)(i * 7u % 100000u), (i & 4) ? "" : "Connection: close\r\n");
        sum = sum * 31u + (uint64_t)len + (uint8_t)head[len / 2] + (uint8_t)head[len - 3];
    }
    return sum;
}
