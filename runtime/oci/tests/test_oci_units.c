/* test_oci_units.c: the parts of wasmrt-oci that need no container: config.json checks
 * (each refusal names its field), mount options, capability names, container ids,
 * signal names, the module header check that refuses native entrypoints, the cgroup
 * plan's controller lookup, and the state file's round trip and derived status. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../capabilities.h"
#include "../cgroup.h"
#include "../commands.h"
#include "../guest.h"
#include "../spec.h"
#include "../state.h"

/* A minimal valid config.json with one field replaced: "%s" stands for the rest. */
#define CONFIG_HEAD "{\"ociVersion\": \"1.0.2\", \"root\": {\"path\": \"/tmp\"}, "
#define CONFIG_PROCESS "\"process\": {\"args\": [\"/m.wasm\", \"x\"], \"cwd\": \"/\"}"

/* Parses text; returns the error message ("" when it parsed). */
static const char *parse(const char *text, oci_spec *spec)
{
    static oci_error err;
    memset(&err, 0, sizeof err);
    int status = oci_spec_parse(text, "/tmp", spec, &err);
    if (status == 0) return "";
    assert_true(err.message[0] != '\0');
    return err.message;
}

/* The message for text must contain each of the words given. */
static void refused_with(const char *text, const char *words)
{
    oci_spec spec;
    const char *message = parse(text, &spec);
    oci_spec_free(&spec);
    if (!message[0]) fail_msg("expected a refusal, the config parsed: %s", text);
    if (!strstr(message, words)) fail_msg("message \"%s\" lacks \"%s\"", message, words);
}

static void minimal_config_parses_with_defaults(void **state)
{
    (void)state;
    oci_spec spec;
    assert_string_equal(parse(CONFIG_HEAD CONFIG_PROCESS "}", &spec), "");
    assert_string_equal(spec.args[0], "/m.wasm");
    assert_string_equal(spec.args[1], "x");
    assert_null(spec.args[2]);
    assert_int_equal(spec.env_count, 0);
    assert_string_equal(spec.rootfs, "/tmp");
    assert_int_equal(spec.umask, -1);
    assert_false(spec.terminal);
    assert_non_null(spec.annotations); /* an empty object, for the state's annotations */
    assert_null(spec.masked_paths[0]);
    oci_spec_free(&spec);
}

static void docker_style_config_reads_every_part(void **state)
{
    (void)state;
    const char *text = CONFIG_HEAD
        "\"process\": {\"args\": [\"/m.wasm\"], \"cwd\": \"/app\", \"env\": [\"A=1\", \"B=2\"],"
        " \"user\": {\"uid\": 1000, \"gid\": 100, \"additionalGids\": [5, 6], \"umask\": 18},"
        " \"capabilities\": {\"bounding\": [\"CAP_KILL\", \"CAP_CHOWN\"], \"effective\": "
        "[\"CAP_KILL\"], \"ambient\": [\"CAP_NOT_YET_INVENTED\"]},"
        " \"rlimits\": [{\"type\": \"RLIMIT_NOFILE\", \"soft\": 1024, \"hard\": 4096}],"
        " \"noNewPrivileges\": true, \"oomScoreAdj\": 5},"
        "\"hostname\": \"h\", \"mounts\": [{\"destination\": \"/proc\", \"type\": \"proc\","
        " \"source\": \"proc\", \"options\": [\"nosuid\", \"noexec\"]}, {\"destination\": "
        "\"/etc/hosts\", \"type\": \"bind\", \"source\": \"/etc/hosts\", \"options\": [\"rbind\","
        " \"rprivate\", \"ro\"]}],"
        "\"hooks\": {\"prestart\": [{\"path\": \"/bin/true\", \"args\": [\"true\", \"a\"], "
        "\"timeout\": 3}]},"
        "\"linux\": {\"namespaces\": [{\"type\": \"pid\"}, {\"type\": \"network\", \"path\": "
        "\"/var/run/netns/x\"}, {\"type\": \"mount\"}, {\"type\": \"uts\"}],"
        " \"cgroupsPath\": \"/docker/abc\", \"sysctl\": {\"net.ipv4.ip_forward\": \"1\"},"
        " \"devices\": [{\"path\": \"/dev/fuse\", \"type\": \"c\", \"major\": 10, \"minor\": "
        "229}],"
        " \"maskedPaths\": [\"/proc/kcore\"], \"readonlyPaths\": [\"/proc/sys\"],"
        " \"resources\": {\"memory\": {\"limit\": 1000000}}},"
        "\"annotations\": {\"k\": \"v\"}}";
    oci_spec spec;
    assert_string_equal(parse(text, &spec), "");
    assert_int_equal(spec.uid, 1000);
    assert_int_equal(spec.gid, 100);
    assert_int_equal(spec.group_count, 2);
    assert_int_equal(spec.umask, 18);
    assert_int_equal(spec.env_count, 2);
    assert_true(spec.has_capabilities);
    assert_int_equal(spec.capabilities.bounding, (1ull << 5) | (1ull << 0));
    assert_int_equal(spec.capabilities.effective, 1ull << 5);
    assert_int_equal(spec.capabilities.ambient, 0); /* an unknown name is skipped, as runc */
    assert_int_equal(spec.rlimit_count, 1);
    assert_int_equal(spec.rlimits[0].limit.rlim_max, 4096);
    assert_true(spec.no_new_privileges);
    assert_int_equal(spec.oom_score_adj, 5);
    assert_int_equal(spec.mount_count, 2);
    assert_string_equal(spec.mounts[0].type, "proc");
    assert_int_equal(spec.mounts[0].flags, MS_NOSUID | MS_NOEXEC);
    assert_string_equal(spec.mounts[1].type, ""); /* "bind" is a bind mount, not a type */
    assert_int_equal(spec.mounts[1].flags, MS_BIND | MS_REC | MS_RDONLY);
    assert_int_equal(spec.mounts[1].propagation, MS_PRIVATE | MS_REC);
    assert_int_equal(spec.hooks[OCI_HOOK_PRESTART].count, 1);
    assert_int_equal(spec.hooks[OCI_HOOK_PRESTART].hooks[0].timeout_s, 3);
    assert_string_equal(spec.hooks[OCI_HOOK_PRESTART].hooks[0].args[1], "a");
    assert_int_equal(spec.namespace_count, 4);
    assert_string_equal(oci_spec_namespace(&spec, CLONE_NEWNET)->path, "/var/run/netns/x");
    assert_null(oci_spec_namespace(&spec, CLONE_NEWIPC));
    assert_string_equal(spec.cgroups_path, "/docker/abc");
    assert_int_equal(spec.sysctl_count, 1);
    assert_int_equal(spec.device_count, 1);
    assert_int_equal(spec.devices[0].major, 10);
    assert_string_equal(spec.masked_paths[0], "/proc/kcore");
    assert_string_equal(spec.readonly_paths[0], "/proc/sys");
    assert_non_null(spec.resources);
    assert_string_equal(json_string_value(json_object_get(spec.annotations, "k")), "v");
    oci_spec_free(&spec);
}

static void bad_configs_are_refused_naming_the_field(void **state)
{
    (void)state;
    refused_with("{", "expected JSON");
    refused_with("[]", "expected a JSON object");
    refused_with("{\"ociVersion\": \"2.0.0\"}", "ociVersion");
    refused_with(CONFIG_HEAD "\"x\": 1}", "field process");
    refused_with(CONFIG_HEAD "\"process\": {\"args\": [], \"cwd\": \"/\"}}", "process.args");
    refused_with(CONFIG_HEAD "\"process\": {\"args\": [1], \"cwd\": \"/\"}}", "process.args[0]");
    refused_with(CONFIG_HEAD "\"process\": {\"args\": [\"m\"], \"cwd\": \"rel\"}}", "process.cwd");
    refused_with(CONFIG_HEAD "\"process\": {\"args\": [\"m\"], \"cwd\": \"/\", \"env\": "
                             "[\"NOEQUALS\"]}}",
                 "process.env[0]");
    refused_with(CONFIG_HEAD "\"process\": {\"args\": [\"m\"], \"cwd\": \"/\", \"rlimits\": "
                             "[{\"type\": \"RLIMIT_BOGUS\", \"soft\": 1, \"hard\": 1}]}}",
                 "process.rlimits[0].type");
    refused_with(
        "{\"ociVersion\": \"1.0.2\", \"root\": {\"path\": \"/no/such/dir\"}, " CONFIG_PROCESS "}",
        "root.path");
    refused_with(CONFIG_HEAD CONFIG_PROCESS ", \"mounts\": [{\"destination\": \"rel\", "
                                            "\"type\": \"tmpfs\"}]}",
                 "mounts[0].destination");
    refused_with(CONFIG_HEAD CONFIG_PROCESS ", \"mounts\": [{\"destination\": \"/x\"}]}",
                 "mounts[0].type");
    refused_with(CONFIG_HEAD CONFIG_PROCESS ", \"mounts\": [1]}",
                 "field mounts[0]: expected an object, found an integer");
    refused_with(CONFIG_HEAD CONFIG_PROCESS ", \"mounts\": [{\"destination\": \"/x\", \"type\":"
                                            " \"tmpfs\", \"options\": [\"tmpcopyup\"]}]}",
                 "not supported");
    refused_with(CONFIG_HEAD CONFIG_PROCESS ", \"hooks\": {\"poststop\": [{\"path\": "
                                            "\"true\"}]}}",
                 "hooks.poststop[0].path");
    refused_with(CONFIG_HEAD CONFIG_PROCESS ", \"linux\": {\"namespaces\": [{\"type\": "
                                            "\"bogus\"}]}}",
                 "linux.namespaces[0].type");
    refused_with(CONFIG_HEAD CONFIG_PROCESS ", \"linux\": {\"namespaces\": [{\"type\": "
                                            "\"user\"}]}}",
                 "not supported");
    refused_with(CONFIG_HEAD CONFIG_PROCESS ", \"linux\": {\"namespaces\": [{\"type\": \"pid\"},"
                                            " {\"type\": \"pid\"}]}}",
                 "each namespace once");
    refused_with(CONFIG_HEAD CONFIG_PROCESS ", \"linux\": {\"sysctl\": {\"../etc\": \"1\"}}}",
                 "linux.sysctl");
    refused_with(CONFIG_HEAD CONFIG_PROCESS ", \"linux\": {\"devices\": [{\"path\": \"/etc/x\","
                                            " \"type\": \"c\"}]}}",
                 "linux.devices[0].path");
    refused_with(CONFIG_HEAD CONFIG_PROCESS ", \"hostname\": \"h\"}", "uts namespace");
}

static void mount_options_split_into_flags_propagation_and_data(void **state)
{
    (void)state;
    json_t *options = json_pack("[s, s, s, s, s, s]", "nosuid", "strictatime", "mode=755",
                                "size=65536k", "rslave", "rw");
    oci_mount mount = {0};
    oci_error err;
    assert_int_equal(oci_mount_options(options, "mounts[0].", &mount, &err), 0);
    assert_int_equal(mount.flags, MS_NOSUID | MS_STRICTATIME);
    assert_int_equal(mount.propagation, MS_SLAVE | MS_REC);
    assert_string_equal(mount.data, "mode=755,size=65536k");
    free(mount.data);
    json_decref(options);
}

static void capability_names_and_numbers(void **state)
{
    (void)state;
    assert_int_equal(oci_capability_number("CAP_CHOWN"), 0);
    assert_int_equal(oci_capability_number("CAP_SYS_ADMIN"), 21);
    assert_int_equal(oci_capability_number("CAP_CHECKPOINT_RESTORE"), 40);
    assert_int_equal(oci_capability_number("chown"), -1);
    assert_string_equal(oci_capability_name(13), "CAP_NET_RAW");
    assert_null(oci_capability_name(41));
}

static void container_ids_are_checked(void **state)
{
    (void)state;
    oci_error err;
    assert_int_equal(oci_state_check_id("wasmvs-123-0", &err), 0);
    assert_int_equal(oci_state_check_id("a.b+c_d", &err), 0);
    assert_int_equal(oci_state_check_id("", &err), -1);
    assert_int_equal(oci_state_check_id("..", &err), -1);
    assert_int_equal(oci_state_check_id("a/b", &err), -1);
    assert_non_null(strstr(err.message, "a/b"));
}

static void signals_by_number_or_name(void **state)
{
    (void)state;
    assert_int_equal(oci_signal_parse("9"), SIGKILL);
    assert_int_equal(oci_signal_parse("KILL"), SIGKILL);
    assert_int_equal(oci_signal_parse("SIGTERM"), SIGTERM);
    assert_int_equal(oci_signal_parse("sigusr1"), SIGUSR1);
    assert_int_equal(oci_signal_parse("NOPE"), -1);
    assert_int_equal(oci_signal_parse("0"), -1);
}

static void module_header_is_told_from_native_programs(void **state)
{
    (void)state;
    char why[200];
    const unsigned char module[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
    assert_int_equal(oci_guest_check_magic(module, sizeof module, why, sizeof why), 0);
    const unsigned char elf[] = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0};
    assert_int_equal(oci_guest_check_magic(elf, sizeof elf, why, sizeof why), -1);
    assert_string_equal(why, "7f 45 4c 46 (an ELF executable)");
    const unsigned char script[] = "#!/bin/sh\n";
    assert_int_equal(oci_guest_check_magic(script, sizeof script - 1, why, sizeof why), -1);
    assert_non_null(strstr(why, "a script"));
    const unsigned char component[] = {0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00};
    assert_int_equal(oci_guest_check_magic(component, sizeof component, why, sizeof why), -1);
    assert_non_null(strstr(why, "component"));
    assert_int_equal(oci_guest_check_magic(module, 0, why, sizeof why), -1);
    assert_non_null(strstr(why, "empty"));
}

static void cgroup_controllers_are_found_by_whole_name(void **state)
{
    (void)state;
    json_t *plan = json_pack("[{s:s, s:s, s:s}, {s:s, s:s, s:s}, {s:s, s:s, s:s}]", "hierarchy",
                             "cpuset", "mount", "/c/cpuset", "path", "/c/cpuset/x", "hierarchy",
                             "cpu,cpuacct", "mount", "/c/cpu,cpuacct", "path", "/c/cpu/x",
                             "hierarchy", "unified", "mount", "/c/unified", "path", "/c/u/x");
    assert_ptr_equal(oci_cgroup_entry(plan, "cpu"), json_array_get(plan, 1));
    assert_ptr_equal(oci_cgroup_entry(plan, "cpuacct"), json_array_get(plan, 1));
    assert_ptr_equal(oci_cgroup_entry(plan, "cpuset"), json_array_get(plan, 0));
    assert_ptr_equal(oci_cgroup_entry(plan, "unified"), json_array_get(plan, 2));
    assert_null(oci_cgroup_entry(plan, "memory"));
    json_decref(plan);
}

static void state_round_trips_and_its_status_is_derived(void **state)
{
    (void)state;
    char root[] = "/tmp/oci-units-XXXXXX";
    assert_non_null(mkdtemp(root));
    oci_state saved = {0};
    oci_error err;
    assert_int_equal(oci_state_dir(root, "c1", saved.dir, sizeof saved.dir, &err), 0);
    assert_int_equal(mkdir(saved.dir, 0700), 0);
    snprintf(saved.id, sizeof saved.id, "c1");
    snprintf(saved.bundle, sizeof saved.bundle, "/b");
    snprintf(saved.rootfs, sizeof saved.rootfs, "/b/rootfs");
    snprintf(saved.created, sizeof saved.created, "2026-01-01T00:00:00.000000000Z");
    saved.pid = getpid(); /* alive, and the same process: running, or created with the fifo */
    saved.pid_start = oci_process_start_time(getpid(), NULL);
    saved.annotations = json_pack("{s:s}", "k", "v");
    assert_int_equal(oci_state_save(&saved, &err), 0);

    oci_state loaded;
    assert_int_equal(oci_state_load(root, "c1", &loaded, &err), 0);
    assert_int_equal(loaded.pid, getpid());
    assert_string_equal(loaded.bundle, "/b");
    assert_int_equal(oci_state_status(&loaded), OCI_STATUS_RUNNING);
    char fifo[4200];
    oci_state_fifo(&loaded, fifo, sizeof fifo);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    assert_int_equal(oci_state_status(&loaded), OCI_STATUS_CREATED);
    json_t *report = oci_state_report(&loaded, OCI_STATUS_CREATED);
    assert_string_equal(json_string_value(json_object_get(report, "status")), "created");
    assert_string_equal(json_string_value(json_object_get(report, "ociVersion")), OCI_VERSION);
    assert_int_equal(json_integer_value(json_object_get(report, "pid")), getpid());
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(report, "annotations"), "k")), "v");
    json_decref(report);
    loaded.pid_start += 1; /* another process got the pid: the container has stopped */
    assert_int_equal(oci_state_status(&loaded), OCI_STATUS_STOPPED);
    report = oci_state_report(&loaded, OCI_STATUS_STOPPED);
    assert_int_equal(json_integer_value(json_object_get(report, "pid")), 0);
    json_decref(report);

    assert_int_equal(oci_state_remove(&loaded, &err), 0);
    oci_state_free(&loaded);
    assert_int_equal(access(saved.dir, F_OK), -1);
    assert_int_equal(oci_state_load(root, "c1", &loaded, &err), -1);
    assert_non_null(strstr(err.message, "does not exist"));
    oci_state_free(&saved);
    rmdir(root);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(minimal_config_parses_with_defaults),
        cmocka_unit_test(docker_style_config_reads_every_part),
        cmocka_unit_test(bad_configs_are_refused_naming_the_field),
        cmocka_unit_test(mount_options_split_into_flags_propagation_and_data),
        cmocka_unit_test(capability_names_and_numbers),
        cmocka_unit_test(container_ids_are_checked),
        cmocka_unit_test(signals_by_number_or_name),
        cmocka_unit_test(module_header_is_told_from_native_programs),
        cmocka_unit_test(cgroup_controllers_are_found_by_whole_name),
        cmocka_unit_test(state_round_trips_and_its_status_is_derived),
    };
    return cmocka_run_group_tests_name("wasmrt-oci units", tests, NULL, NULL);
}
