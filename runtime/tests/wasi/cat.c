/* cat: copies stdin to stdout with read()/write() (fd_read/fd_write), counting bytes
 * on stderr; the stdin-to-stdout test and the larger-than-one-buffer test. */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
    static char buf[65536]; /* static: the default wasm stack is only 64 KiB */
    long total = 0;
    for (;;) {
        ssize_t n = read(0, buf, sizeof buf);
        if (n < 0) {
            perror("cat: read");
            return 1;
        }
        if (n == 0) break;
        for (ssize_t off = 0; off < n;) {
            ssize_t w = write(1, buf + off, (size_t)(n - off));
            if (w < 0) {
                perror("cat: write");
                return 1;
            }
            off += w;
        }
        total += n;
    }
    fprintf(stderr, "cat: %ld bytes\n", total);
    return 0;
}
