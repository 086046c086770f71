#define _GNU_SOURCE
/* Minimal keep-alive HTTP/1.1 server for the benchmarks. Without arguments (the AWS client
 * benchmark) it answers every request with 200 and "{}" after reading its body. With DIR (the web
 * front benchmark, a DynamoDB stand-in) it answers with the file DIR/<Operation>-<TableName>.json
 * (the operation from X-Amz-Target, the table from the body), or 400 when there is none; answers
 * are read once at start. One thread per connection; no parsing beyond what framing needs. */
#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_ANSWERS 32
static struct { char name[256]; char *reply; size_t length; } answers[MAX_ANSWERS];
static int answer_count;
static const char empty[] =
    "HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.0\r\nx-amzn-RequestId: bench\r\nContent-Length: 2\r\n\r\n{}";
static int from_files;
#define MISSING_BODY "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException\"}"
static char missing[256];

static void load(const char *dir) {
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d)) && answer_count < MAX_ANSWERS) {
        size_t n = strlen(e->d_name);
        if (n < 6 || strcmp(e->d_name + n - 5, ".json") != 0) continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        FILE *f = fopen(path, "rb");
        if (!f) continue;
        fseek(f, 0, SEEK_END);
        long size = ftell(f);
        fseek(f, 0, SEEK_SET);
        char *body = malloc((size_t)size);
        if (fread(body, 1, (size_t)size, f) != (size_t)size) { fclose(f); continue; }
        fclose(f);
        char head[256];
        int h = snprintf(head, sizeof head,
                         "HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.0\r\nx-amzn-RequestId: stub\r\nContent-Length: %ld\r\n\r\n", size);
        answers[answer_count].reply = malloc((size_t)h + (size_t)size);
        memcpy(answers[answer_count].reply, head, (size_t)h);
        memcpy(answers[answer_count].reply + h, body, (size_t)size);
        answers[answer_count].length = (size_t)h + (size_t)size;
        snprintf(answers[answer_count].name, sizeof answers[0].name, "%.*s", (int)(n - 5), e->d_name);
        free(body);
        answer_count++;
    }
    if (d) closedir(d);
}

/* Copies the value after `key` up to `stop` into out. */
static int find(const char *from, const char *to, const char *key, char stop, char *out, size_t size) {
    const char *p = memmem(from, (size_t)(to - from), key, strlen(key));
    if (!p) return 0;
    p += strlen(key);
    while (p < to && *p == ' ') p++;
    size_t i = 0;
    while (p < to && *p != stop && *p != '\r' && i + 1 < size) out[i++] = *p++;
    out[i] = 0;
    return 1;
}

static void *serve(void *arg) {
    int fd = (int)(long)arg, one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    static __thread char buf[1 << 17];
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
        if (!from_files) {
            if (write(fd, empty, sizeof empty - 1) < 0) { close(fd); return NULL; }
            memmove(buf, buf + head + length, have - head - length);
            have -= head + length;
            continue;
        }
        char target[128] = "", table[128] = "", name[256];
        find(buf, end, "DynamoDB_20120810.", '\r', target, sizeof target);
        find(buf + head, buf + head + length, "\"TableName\":", ',', table, sizeof table);
        char *t = table;
        while (*t == '"') t++;
        t[strcspn(t, "\"}")] = 0;
        snprintf(name, sizeof name, "%s-%s", target, t);
        const char *reply = missing;
        size_t reply_length = strlen(missing);
        for (int i = 0; i < answer_count; i++)
            if (strcmp(answers[i].name, name) == 0) { reply = answers[i].reply; reply_length = answers[i].length; }
        if (write(fd, reply, reply_length) < 0) { close(fd); return NULL; }
        memmove(buf, buf + head + length, have - head - length);
        have -= head + length;
    }
}

int main(int argc, char **argv) {
    if (argc > 2) { fprintf(stderr, "usage: echo_server [DIR]\n"); return 2; }
    if (argc == 2) { load(argv[1]); from_files = 1; }
    snprintf(missing, sizeof missing, "HTTP/1.1 400 Bad Request\r\nContent-Type: application/x-amz-json-1.0\r\nContent-Length: %zu\r\n\r\n%s",
             strlen(MISSING_BODY), MISSING_BODY);
    int s = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    if (bind(s, (struct sockaddr *)&a, len) || listen(s, 256) || getsockname(s, (struct sockaddr *)&a, &len)) return 1;
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
