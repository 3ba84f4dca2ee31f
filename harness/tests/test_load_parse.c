/* test_load_parse.c: what the load module reads: wrk's report line (from
 * wrk-report.lua), URLs, and HTTP responses arriving in pieces. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "load/load.h"
#include "load/response.h"

/* What wrk prints with the report hook: its own text, then the hook's line. */
static const char wrk_output[] =
    "Running 2s test @ http://127.0.0.1:8080/\n"
    "  2 threads and 64 connections\n"
    "  Thread Stats   Avg      Stdev     Max   +/- Stdev\n"
    "    Latency   751.91us  662.44us   8.46ms   89.89%\n"
    "  261483 requests in 2.00s, 22.19MB read\n"
    "Requests/sec: 130741.50\n"
    "wasmvs-wrk-report: {\"duration_us\":2000000,\"requests\":261483,\"bytes\":23271987,"
    "\"errors\":{\"connect\":0,\"read\":1,\"write\":2,\"status\":3,\"timeout\":4},"
    "\"latency_us\":{\"min\":21,\"mean\":751.910,\"stdev\":662.440,\"max\":8460,"
    "\"p50\":600,\"p90\":1400,\"p99\":3600,\"p99.9\":7000}}\n";

static void test_wrk_report_is_read_into_a_result(void **state)
{
    (void)state;
    load_result r;
    wasmvs_error err = {{0}};
    assert_int_equal(load_wrk_parse_report(wrk_output, &r, &err), 0);
    assert_string_equal(r.generator, "wrk");
    assert_int_equal(r.requests, 261483);
    assert_int_equal(r.bytes, 23271987);
    assert_true(r.duration_s == 2.0);
    assert_true(r.requests_per_s > 130741.4 && r.requests_per_s < 130741.6);
    assert_int_equal(r.latency.p50_ns, 600000);
    assert_int_equal(r.latency.p90_ns, 1400000);
    assert_int_equal(r.latency.p99_ns, 3600000);
    assert_int_equal(r.latency.p999_ns, 7000000);
    assert_int_equal(r.latency.max_ns, 8460000);
    assert_int_equal(r.errors.read, 1);
    assert_int_equal(r.errors.write, 2);
    assert_int_equal(r.errors.status, 3);
    assert_int_equal(r.errors.timeout, 4);
    assert_int_equal(load_errors_total(&r.errors), 10);
    assert_null(r.histogram);
}

static void test_wrk_output_without_report_line_is_an_error(void **state)
{
    (void)state;
    load_result r;
    wasmvs_error err = {{0}};
    assert_int_equal(load_wrk_parse_report("unable to connect to 127.0.0.1:1\n", &r, &err), -1);
    assert_non_null(strstr(err.message, "wasmvs-wrk-report"));
    assert_non_null(strstr(err.message, "unable to connect"));
}

static void test_wrk_report_missing_field_names_it(void **state)
{
    (void)state;
    load_result r;
    wasmvs_error err = {{0}};
    const char *text = "wasmvs-wrk-report: {\"duration_us\":1000000,\"bytes\":1,"
                       "\"errors\":{},\"latency_us\":{}}\n";
    assert_int_equal(load_wrk_parse_report(text, &r, &err), -1);
    assert_non_null(strstr(err.message, "\"requests\""));
    assert_int_equal(load_wrk_parse_report("wasmvs-wrk-report: {nope\n", &r, &err), -1);
    assert_non_null(strstr(err.message, "expected JSON"));
}

static void test_result_json_carries_rates_latency_and_errors(void **state)
{
    (void)state;
    load_result r;
    assert_int_equal(load_wrk_parse_report(wrk_output, &r, NULL), 0);
    json_t *j = load_result_to_json(&r);
    assert_string_equal(json_string_value(json_object_get(j, "generator")), "wrk");
    json_t *latency = json_object_get(j, "latency");
    assert_int_equal(json_integer_value(json_object_get(latency, "p99_ns")), 3600000);
    json_t *errors = json_object_get(j, "errors");
    assert_int_equal(json_integer_value(json_object_get(errors, "total")), 10);
    assert_true(json_is_null(json_object_get(j, "histogram")));
    json_decref(j);
    load_result_free(&r);
}

static void test_url_parts_and_defaults(void **state)
{
    (void)state;
    load_url u;
    wasmvs_error err = {{0}};
    assert_int_equal(load_url_parse("http://127.0.0.1:8080/hello?x=1", &u, &err), 0);
    assert_string_equal(u.host, "127.0.0.1");
    assert_int_equal(u.port, 8080);
    assert_string_equal(u.path, "/hello?x=1");
    assert_int_equal(load_url_parse("http://localhost", &u, &err), 0);
    assert_string_equal(u.host, "127.0.0.1");
    assert_int_equal(u.port, 80);
    assert_string_equal(u.path, "/");
}

static void test_url_errors_say_what_was_expected(void **state)
{
    (void)state;
    load_url u;
    wasmvs_error err = {{0}};
    assert_int_equal(load_url_parse("https://127.0.0.1/", &u, &err), -1);
    assert_non_null(strstr(err.message, "http://"));
    assert_int_equal(load_url_parse("http://example.org/", &u, &err), -1);
    assert_non_null(strstr(err.message, "IPv4"));
    assert_int_equal(load_url_parse("http://127.0.0.1:99999/", &u, &err), -1);
    assert_non_null(strstr(err.message, "port"));
}

static int feed_all(load_response *r, const char *text, size_t *used)
{
    return load_response_feed(r, text, strlen(text), used);
}

static void test_response_in_one_piece(void **state)
{
    (void)state;
    load_response r;
    size_t used;
    const char *text = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";
    load_response_begin(&r);
    assert_int_equal(feed_all(&r, text, &used), LOAD_RESPONSE_DONE);
    assert_int_equal(used, strlen(text));
    assert_int_equal(r.status, 200);
    assert_true(r.keep_alive);
}

static void test_response_byte_by_byte(void **state)
{
    (void)state;
    load_response r;
    const char *text =
        "HTTP/1.1 404 Not Found\r\ncontent-length: 3\r\nConnection: close\r\n\r\nno\n";
    size_t n = strlen(text), used;
    load_response_begin(&r);
    for (size_t i = 0; i + 1 < n; i++)
        assert_int_equal(load_response_feed(&r, text + i, 1, &used), LOAD_RESPONSE_MORE);
    assert_int_equal(load_response_feed(&r, text + n - 1, 1, &used), LOAD_RESPONSE_DONE);
    assert_int_equal(r.status, 404);
    assert_false(r.keep_alive);
}

static void test_response_stops_at_its_end(void **state)
{
    (void)state;
    load_response r;
    size_t used;
    const char *two = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\n";
    load_response_begin(&r);
    assert_int_equal(feed_all(&r, two, &used), LOAD_RESPONSE_DONE);
    assert_int_equal(used, strlen("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
}

static void test_response_body_until_close(void **state)
{
    (void)state;
    load_response r;
    size_t used;
    load_response_begin(&r);
    assert_int_equal(feed_all(&r, "HTTP/1.0 200 OK\r\n\r\nsome body", &used), LOAD_RESPONSE_MORE);
    assert_int_equal(load_response_end_of_stream(&r), LOAD_RESPONSE_DONE);
    assert_false(r.keep_alive);
}

static void test_response_garbage_and_truncation_are_bad(void **state)
{
    (void)state;
    load_response r;
    size_t used;
    load_response_begin(&r);
    assert_int_equal(feed_all(&r, "SSH-2.0-OpenSSH\r\n", &used), LOAD_RESPONSE_BAD);
    assert_non_null(strstr(r.problem, "status line"));
    load_response_begin(&r);
    assert_int_equal(feed_all(&r, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", &used),
                     LOAD_RESPONSE_BAD);
    assert_non_null(strstr(r.problem, "chunked"));
    load_response_begin(&r);
    assert_int_equal(feed_all(&r, "HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nshort", &used),
                     LOAD_RESPONSE_MORE);
    assert_int_equal(load_response_end_of_stream(&r), LOAD_RESPONSE_BAD);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wrk_report_is_read_into_a_result),
        cmocka_unit_test(test_wrk_output_without_report_line_is_an_error),
        cmocka_unit_test(test_wrk_report_missing_field_names_it),
        cmocka_unit_test(test_result_json_carries_rates_latency_and_errors),
        cmocka_unit_test(test_url_parts_and_defaults),
        cmocka_unit_test(test_url_errors_say_what_was_expected),
        cmocka_unit_test(test_response_in_one_piece),
        cmocka_unit_test(test_response_byte_by_byte),
        cmocka_unit_test(test_response_stops_at_its_end),
        cmocka_unit_test(test_response_body_until_close),
        cmocka_unit_test(test_response_garbage_and_truncation_are_bad),
    };
    return cmocka_run_group_tests_name("load_parse", tests, NULL, NULL);
}
