/* test_docker_parts.c: the pieces of the Docker target that need no daemon: the ustar
 * writer (the archive is read back by GNU tar), the logs stream demultiplexer and the
 * error-message extraction. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../targets/docker_api.h"
#include "../targets/tar.h"

static void tar_archive_is_read_back_by_gnu_tar(void **state)
{
    (void)state;
    tar_archive archive = {0};
    wasmvs_error err = {{0}};
    char content[1500];
    for (size_t i = 0; i < sizeof content; i++)
        content[i] = (char)('a' + i % 26);
    assert_int_equal(tar_add_file(&archive, "hello", 0755, content, sizeof content, &err), 0);
    assert_int_equal(tar_add_file(&archive, "empty", 0644, "", 0, &err), 0);
    assert_int_equal(tar_finish(&archive, &err), 0);
    /* 512 header + 1536 content, 512 header, 1024 end */
    assert_int_equal(archive.length, 512 + 1536 + 512 + 1024);
    char path[] = "/tmp/wasmvs-tar-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *file = fdopen(fd, "wb");
    fwrite(archive.data, 1, archive.length, file);
    fclose(file);
    tar_free(&archive);

    char command[256], listing[512] = "";
    snprintf(command, sizeof command, "tar -tvf %s 2>&1", path);
    FILE *pipe = popen(command, "r");
    size_t got = fread(listing, 1, sizeof listing - 1, pipe);
    listing[got] = '\0';
    assert_int_equal(pclose(pipe), 0);
    assert_non_null(strstr(listing, "-rwxr-xr-x root/root      1500"));
    assert_non_null(strstr(listing, " hello\n"));
    assert_non_null(strstr(listing, " empty\n"));
    snprintf(command, sizeof command, "tar -xOf %s hello", path);
    pipe = popen(command, "r");
    char extracted[2000];
    got = fread(extracted, 1, sizeof extracted, pipe);
    assert_int_equal(pclose(pipe), 0);
    assert_int_equal(got, sizeof content);
    assert_memory_equal(extracted, content, sizeof content);
    remove(path);
}

static void tar_rejects_names_it_cannot_hold(void **state)
{
    (void)state;
    tar_archive archive = {0};
    wasmvs_error err = {{0}};
    char name[120];
    memset(name, 'x', sizeof name - 1);
    name[sizeof name - 1] = '\0';
    assert_int_equal(tar_add_file(&archive, name, 0755, "", 0, &err), -1);
    assert_non_null(strstr(err.message, "expected 1 to 99 bytes"));
    assert_int_equal(tar_add_file(&archive, "", 0755, "", 0, &err), -1);
    tar_free(&archive);
}

static void logs_stream_is_split_into_stdout_and_stderr(void **state)
{
    (void)state;
    /* frames: stdout "hello\n", stderr "oops\n", stdout "world\n" */
    const char stream[] = "\x01\0\0\0\0\0\0\x06hello\n"
                          "\x02\0\0\0\0\0\0\x05oops\n"
                          "\x01\0\0\0\0\0\0\x06world\n";
    char *out = NULL, *err = NULL;
    docker_api_demultiplex(stream, sizeof stream - 1, &out, &err);
    assert_string_equal(out, "hello\nworld\n");
    assert_string_equal(err, "oops\n");
    free(out);
    free(err);
    /* a frame cut short keeps what arrived */
    docker_api_demultiplex(stream, 8 + 3, &out, &err);
    assert_string_equal(out, "hel");
    assert_string_equal(err, "");
    free(out);
    free(err);
}

static void error_message_from_answer(void **state)
{
    (void)state;
    char body[] = "{\"message\":\"No such image: x:y\"}\n";
    docker_response response = {.status = 404, .body = body, .length = sizeof body - 1};
    assert_string_equal(docker_api_message(&response), "No such image: x:y");
    char plain[] = "page not found\n";
    response.body = plain;
    assert_string_equal(docker_api_message(&response), "page not found");
}

static void unreachable_socket_names_it(void **state)
{
    (void)state;
    docker_api api;
    wasmvs_error err = {{0}};
    assert_int_equal(docker_api_open(&api, "/nonexistent/docker.sock", &err), 0);
    long status = 0;
    assert_int_equal(docker_api_json(&api, "GET", "/version", NULL, 2000, &status, NULL, &err), -1);
    assert_non_null(strstr(err.message, "/nonexistent/docker.sock"));
    assert_non_null(strstr(err.message, "GET /version"));
    docker_api_close(&api);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tar_archive_is_read_back_by_gnu_tar),
        cmocka_unit_test(tar_rejects_names_it_cannot_hold),
        cmocka_unit_test(logs_stream_is_split_into_stdout_and_stderr),
        cmocka_unit_test(error_message_from_answer),
        cmocka_unit_test(unreachable_socket_names_it),
    };
    return cmocka_run_group_tests_name("docker-parts", tests, NULL, NULL);
}
