#define _GNU_SOURCE
/* Minimal keep-alive HTTP/1.1 server for the AWS client benchmark: answers every request with
 * 200 and "{}" after reading its body. One thread per connection; no parsing beyond what framing needs. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

static const char reply[] =
    "HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.0\r\nx-amzn-RequestId: bench\r\nContent-Length: 2\r\n\r\n{}";

static void *serve(void *arg) {
    int fd = (int)(long)arg, one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    char buf[1 << 16];
    size_t have = 0;
    for (;;) {
        char *end;
        while (!(end = memmem(buf, have, "\r\n\r\n", 4))) {
            ssize_t n = read(fd, buf + have, sizeof buf - have);
            if (n <= 0) { close(fd); return NULL; }
            have += (size_t)n;
        }
        size_t head = (size_t)(end - buf) + 4, length = 0;
        for (char *p = buf; p < end; p++)
            if ((p == buf || p[-1] == '\n') && strncasecmp(p, "content-length:", 15) == 0) length = strtoul(p + 15, NULL, 10);
        while (have < head + length) {
            ssize_t n = read(fd, buf + have, sizeof buf - have);
            if (n <= 0) { close(fd); return NULL; }
            have += (size_t)n;
        }
        if (write(fd, reply, sizeof reply - 1) < 0) { close(fd); return NULL; }
        memmove(buf, buf + head + length, have - head - length);
        have -= head + length;
    }
}

int main(void) {
    int s = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    if (bind(s, (struct sockaddr *)&a, len) || listen(s, 128) || getsockname(s, (struct sockaddr *)&a, &len)) return 1;
    printf("%d\n", ntohs(a.sin_port));
    fflush(stdout);
    for (;;) {
        int c = accept(s, NULL, NULL);
        if (c < 0) continue;
        pthread_t t;
        pthread_create(&t, NULL, serve, (void *)(long)c);
        pthread_detach(t);
    }
}
