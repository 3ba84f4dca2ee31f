/* spec.c: config.json into an oci_spec (see spec.h): the document, process, root,
 * mounts (and their options) and hooks; the "linux" object is spec_linux.c's. Every
 * field is checked for its type and range as it is read; an error names the field as
 * config.json spells it ("process.args[0]") and says what was expected and found. */
#include "spec.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "capabilities.h"
#include "log.h"
#include "spec_fields.h"

/* ---- mount options ---- */

typedef struct oci_mount_flag {
    const char *name;
    unsigned long flag;
    bool clear; /* the option turns the flag off ("rw", "suid", ...) */
} oci_mount_flag;

static const oci_mount_flag oci_mount_flags[] = {
    {"defaults", 0, false},
    {"ro", MS_RDONLY, false},
    {"rw", MS_RDONLY, true},
    {"nosuid", MS_NOSUID, false},
    {"suid", MS_NOSUID, true},
    {"nodev", MS_NODEV, false},
    {"dev", MS_NODEV, true},
    {"noexec", MS_NOEXEC, false},
    {"exec", MS_NOEXEC, true},
    {"sync", MS_SYNCHRONOUS, false},
    {"async", MS_SYNCHRONOUS, true},
    {"dirsync", MS_DIRSYNC, false},
    {"remount", MS_REMOUNT, false},
    {"mand", MS_MANDLOCK, false},
    {"nomand", MS_MANDLOCK, true},
    {"noatime", MS_NOATIME, false},
    {"atime", MS_NOATIME, true},
    {"nodiratime", MS_NODIRATIME, false},
    {"diratime", MS_NODIRATIME, true},
    {"relatime", MS_RELATIME, false},
    {"norelatime", MS_RELATIME, true},
    {"strictatime", MS_STRICTATIME, false},
    {"nostrictatime", MS_STRICTATIME, true},
    {"bind", MS_BIND, false},
    {"rbind", MS_BIND | MS_REC, false},
};

static const oci_mount_flag oci_mount_propagations[] = {
    {"private", MS_PRIVATE, false},       {"rprivate", MS_PRIVATE | MS_REC, false},
    {"shared", MS_SHARED, false},         {"rshared", MS_SHARED | MS_REC, false},
    {"slave", MS_SLAVE, false},           {"rslave", MS_SLAVE | MS_REC, false},
    {"unbindable", MS_UNBINDABLE, false}, {"runbindable", MS_UNBINDABLE | MS_REC, false},
};

static const oci_mount_flag *oci_mount_find(const oci_mount_flag *table, size_t count,
                                            const char *name)
{
    for (size_t i = 0; i < count; i++)
        if (strcmp(table[i].name, name) == 0) return &table[i];
    return NULL;
}

unsigned long oci_mount_propagation(const char *name)
{
    const oci_mount_flag *flag =
        oci_mount_find(oci_mount_propagations,
                       sizeof oci_mount_propagations / sizeof *oci_mount_propagations, name);
    return flag ? flag->flag : 0;
}

int oci_mount_options(json_t *options, const char *where, oci_mount *mount, oci_error *err)
{
    if (options && !json_is_array(options))
        return oci_fail(err, "field %soptions: expected an array of strings, found %s", where,
                        oci_spec_kind(options));
    size_t data_length = 0;
    mount->data = NULL;
    size_t i;
    json_t *item;
    json_array_foreach(options, i, item)
    {
        if (!json_is_string(item))
            return oci_fail(err, "field %soptions[%zu]: expected a string, found %s", where, i,
                            oci_spec_kind(item));
        const char *name = json_string_value(item);
        const oci_mount_flag *flag =
            oci_mount_find(oci_mount_flags, sizeof oci_mount_flags / sizeof *oci_mount_flags, name);
        if (flag) {
            if (flag->clear)
                mount->flags &= ~flag->flag;
            else
                mount->flags |= flag->flag;
            continue;
        }
        flag = oci_mount_find(oci_mount_propagations,
                              sizeof oci_mount_propagations / sizeof *oci_mount_propagations, name);
        if (flag) {
            mount->propagation = flag->flag;
            continue;
        }
        if (strcmp(name, "tmpcopyup") == 0 || strcmp(name, "rro") == 0 ||
            strcmp(name, "idmap") == 0 || strcmp(name, "ridmap") == 0)
            return oci_fail(err,
                            "field %soptions[%zu]: \"%s\" is not supported by wasmrt-oci "
                            "(expected mount(8) flags, propagation or file-system data)",
                            where, i, name);
        /* file-system data ("mode=755", "size=65536k", "newinstance") */
        size_t length = strlen(name);
        char *grown = realloc(mount->data, data_length + length + 2);
        if (!grown) return oci_fail(err, "field %soptions: out of memory", where);
        mount->data = grown;
        if (data_length) mount->data[data_length++] = ',';
        memcpy(mount->data + data_length, name, length + 1);
        data_length += length;
    }
    return 0;
}

/* ---- process ---- */

static const struct {
    const char *name;
    int resource;
} oci_rlimit_names[] = {
    {"RLIMIT_AS", RLIMIT_AS},
    {"RLIMIT_CORE", RLIMIT_CORE},
    {"RLIMIT_CPU", RLIMIT_CPU},
    {"RLIMIT_DATA", RLIMIT_DATA},
    {"RLIMIT_FSIZE", RLIMIT_FSIZE},
    {"RLIMIT_LOCKS", RLIMIT_LOCKS},
    {"RLIMIT_MEMLOCK", RLIMIT_MEMLOCK},
    {"RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE},
    {"RLIMIT_NICE", RLIMIT_NICE},
    {"RLIMIT_NOFILE", RLIMIT_NOFILE},
    {"RLIMIT_NPROC", RLIMIT_NPROC},
    {"RLIMIT_RSS", RLIMIT_RSS},
    {"RLIMIT_RTPRIO", RLIMIT_RTPRIO},
    {"RLIMIT_RTTIME", RLIMIT_RTTIME},
    {"RLIMIT_SIGPENDING", RLIMIT_SIGPENDING},
    {"RLIMIT_STACK", RLIMIT_STACK},
};

static int oci_spec_rlimits(json_t *process, oci_spec *spec, oci_error *err)
{
    json_t *array = json_object_get(process, "rlimits");
    if (oci_spec_objects(array, "process.rlimits", sizeof *spec->rlimits, (void **)&spec->rlimits,
                         err) != 0)
        return -1;
    size_t i;
    json_t *item;
    json_array_foreach(array, i, item)
    {
        char where[64];
        snprintf(where, sizeof where, "process.rlimits[%zu].", i);
        const char *type = NULL;
        if (oci_spec_string(item, "type", where, true, &type, err) != 0) return -1;
        size_t k = 0;
        while (k < sizeof oci_rlimit_names / sizeof *oci_rlimit_names &&
               strcmp(oci_rlimit_names[k].name, type) != 0)
            k++;
        if (k == sizeof oci_rlimit_names / sizeof *oci_rlimit_names)
            return oci_fail(err, "field %stype: expected an RLIMIT_* name, found \"%s\"", where,
                            type);
        oci_rlimit *limit = &spec->rlimits[spec->rlimit_count++];
        limit->resource = oci_rlimit_names[k].resource;
        /* JSON integers are signed: 2^64-1 (unlimited) comes as -1 from some writers */
        json_t *soft = json_object_get(item, "soft"), *hard = json_object_get(item, "hard");
        if (!json_is_integer(soft) || !json_is_integer(hard))
            return oci_fail(err, "field %ssoft/hard: expected two integers, found %s and %s", where,
                            soft ? oci_spec_kind(soft) : "none",
                            hard ? oci_spec_kind(hard) : "none");
        limit->limit.rlim_cur = (rlim_t)json_integer_value(soft);
        limit->limit.rlim_max = (rlim_t)json_integer_value(hard);
        if (json_integer_value(soft) < 0) limit->limit.rlim_cur = RLIM_INFINITY;
        if (json_integer_value(hard) < 0) limit->limit.rlim_max = RLIM_INFINITY;
    }
    return 0;
}

static int oci_spec_capability_set(json_t *capabilities, const char *key, uint64_t *set,
                                   oci_error *err)
{
    const char **names = NULL;
    char where[64] = "process.capabilities.";
    if (oci_spec_strings(capabilities, key, where, &names, NULL, err) != 0) return -1;
    for (size_t i = 0; names[i]; i++) {
        int number = oci_capability_number(names[i]);
        if (number < 0 || number > 63) { /* as runc: a newer name is skipped, not fatal */
            oci_log_warning("%s%s[%zu]: unknown capability \"%s\" ignored", where, key, i,
                            names[i]);
            continue;
        }
        *set |= 1ull << number;
    }
    free(names);
    return 0;
}

static int oci_spec_process(json_t *process, oci_spec *spec, oci_error *err)
{
    const char *where = "process.";
    size_t argc = 0;
    if (oci_spec_bool(process, "terminal", where, &spec->terminal, err) != 0 ||
        oci_spec_strings(process, "args", where, &spec->args, &argc, err) != 0 ||
        oci_spec_strings(process, "env", where, &spec->env, &spec->env_count, err) != 0 ||
        oci_spec_string(process, "cwd", where, true, &spec->cwd, err) != 0 ||
        oci_spec_bool(process, "noNewPrivileges", where, &spec->no_new_privileges, err) != 0 ||
        oci_spec_string(process, "apparmorProfile", where, false, &spec->apparmor_profile, err) !=
            0)
        return -1;
    if (argc == 0)
        return oci_fail(err, "field process.args: expected the module to run and its arguments, "
                             "found none");
    if (spec->cwd[0] != '/')
        return oci_fail(err, "field process.cwd: expected an absolute path, found \"%s\"",
                        spec->cwd);
    for (size_t i = 0; i < spec->env_count; i++)
        if (!strchr(spec->env[i], '='))
            return oci_fail(err, "field process.env[%zu]: expected KEY=VALUE, found \"%s\"", i,
                            spec->env[i]);
    json_t *console = NULL, *user = NULL, *capabilities = NULL;
    if (oci_spec_object(process, "consoleSize", where, &console, err) != 0) return -1;
    long long value = 0;
    if (console) {
        if (oci_spec_integer(console, "height", "process.consoleSize.", 0, 65535, &value, NULL,
                             err) != 0)
            return -1;
        spec->console_height = (unsigned)value;
        if (oci_spec_integer(console, "width", "process.consoleSize.", 0, 65535, &value, NULL,
                             err) != 0)
            return -1;
        spec->console_width = (unsigned)value;
    }
    if (oci_spec_object(process, "user", where, &user, err) != 0) return -1;
    if (user) {
        const char *u = "process.user.";
        bool present = false;
        if (oci_spec_integer(user, "uid", u, 0, UINT32_MAX - 1, &value, NULL, err) != 0) return -1;
        spec->uid = (uid_t)value;
        value = 0;
        if (oci_spec_integer(user, "gid", u, 0, UINT32_MAX - 1, &value, NULL, err) != 0) return -1;
        spec->gid = (gid_t)value;
        if (oci_spec_integer(user, "umask", u, 0, 0777, &value, &present, err) != 0) return -1;
        spec->umask = present ? (int)value : -1;
        json_t *groups = json_object_get(user, "additionalGids");
        if (groups && !json_is_array(groups))
            return oci_fail(err,
                            "field process.user.additionalGids: expected an array of "
                            "integers, found %s",
                            oci_spec_kind(groups));
        spec->groups = calloc(json_array_size(groups) + 1, sizeof *spec->groups);
        if (!spec->groups) return oci_fail(err, "process.user: out of memory");
        size_t i;
        json_t *item;
        json_array_foreach(groups, i, item)
        {
            if (!json_is_integer(item) || json_integer_value(item) < 0 ||
                json_integer_value(item) >= UINT32_MAX)
                return oci_fail(err,
                                "field process.user.additionalGids[%zu]: expected a group id, "
                                "found %s",
                                i, oci_spec_kind(item));
            spec->groups[spec->group_count++] = (gid_t)json_integer_value(item);
        }
    } else {
        spec->umask = -1;
    }
    if (oci_spec_object(process, "capabilities", where, &capabilities, err) != 0) return -1;
    if (capabilities) {
        spec->has_capabilities = true;
        oci_capabilities *c = &spec->capabilities;
        if (oci_spec_capability_set(capabilities, "bounding", &c->bounding, err) != 0 ||
            oci_spec_capability_set(capabilities, "effective", &c->effective, err) != 0 ||
            oci_spec_capability_set(capabilities, "inheritable", &c->inheritable, err) != 0 ||
            oci_spec_capability_set(capabilities, "permitted", &c->permitted, err) != 0 ||
            oci_spec_capability_set(capabilities, "ambient", &c->ambient, err) != 0)
            return -1;
    }
    if (oci_spec_integer(process, "oomScoreAdj", where, -1000, 1000, &value,
                         &spec->has_oom_score_adj, err) != 0)
        return -1;
    spec->oom_score_adj = (int)value;
    return oci_spec_rlimits(process, spec, err);
}

/* ---- root, mounts, hooks ---- */

static int oci_spec_root(json_t *root, const char *bundle, oci_spec *spec, oci_error *err)
{
    const char *path = NULL;
    if (!root) return oci_fail(err, "field root: expected an object with \"path\", found none");
    if (!json_is_object(root))
        return oci_fail(err, "field root: expected an object, found %s", oci_spec_kind(root));
    if (oci_spec_string(root, "path", "root.", true, &path, err) != 0 ||
        oci_spec_bool(root, "readonly", "root.", &spec->root_readonly, err) != 0)
        return -1;
    char joined[PATH_MAX];
    if (path[0] == '/')
        snprintf(joined, sizeof joined, "%s", path);
    else if (snprintf(joined, sizeof joined, "%s/%s", bundle, path) >= (int)sizeof joined)
        return oci_fail(err, "field root.path: the path is too long");
    spec->rootfs = realpath(joined, NULL);
    if (!spec->rootfs)
        return oci_fail(err, "field root.path: %s: expected a directory, found %s", joined,
                        strerror(errno));
    struct stat info;
    if (stat(spec->rootfs, &info) != 0 || !S_ISDIR(info.st_mode))
        return oci_fail(err, "field root.path: %s: expected a directory, found another file",
                        spec->rootfs);
    return 0;
}

static int oci_spec_mounts(json_t *mounts, oci_spec *spec, oci_error *err)
{
    if (oci_spec_objects(mounts, "mounts", sizeof *spec->mounts, (void **)&spec->mounts, err) != 0)
        return -1;
    size_t i;
    json_t *item;
    json_array_foreach(mounts, i, item)
    {
        char where[48];
        snprintf(where, sizeof where, "mounts[%zu].", i);
        oci_mount *mount = &spec->mounts[spec->mount_count++];
        mount->type = "";
        mount->source = "";
        if (oci_spec_string(item, "destination", where, true, &mount->destination, err) != 0 ||
            oci_spec_string(item, "type", where, false, &mount->type, err) != 0 ||
            oci_spec_string(item, "source", where, false, &mount->source, err) != 0 ||
            oci_mount_options(json_object_get(item, "options"), where, mount, err) != 0)
            return -1;
        if (mount->destination[0] != '/')
            return oci_fail(err,
                            "field %sdestination: expected an absolute path in the container, "
                            "found \"%s\"",
                            where, mount->destination);
        if (strcmp(mount->type, "bind") == 0) mount->type = "";
        if (!mount->type[0] && !(mount->flags & MS_BIND))
            return oci_fail(err,
                            "field %stype: expected a file-system type or a bind mount "
                            "(\"bind\"/\"rbind\" in options), found neither",
                            where);
        if (!mount->type[0] && mount->source[0] != '/')
            return oci_fail(err,
                            "field %ssource: expected an absolute host path for a bind mount, "
                            "found \"%s\"",
                            where, mount->source);
    }
    return 0;
}

static const char *const oci_hook_names[OCI_HOOK_KINDS] = {
    "prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop",
};

const char *oci_hook_kind_name(oci_hook_kind kind)
{
    return oci_hook_names[kind];
}

int oci_hooks_parse(json_t *hooks, oci_hook_list lists[OCI_HOOK_KINDS], oci_error *err)
{
    if (!hooks || json_is_null(hooks)) return 0;
    if (!json_is_object(hooks))
        return oci_fail(err, "field hooks: expected an object, found %s", oci_spec_kind(hooks));
    for (int kind = 0; kind < OCI_HOOK_KINDS; kind++) {
        json_t *array = json_object_get(hooks, oci_hook_names[kind]);
        oci_hook_list *list = &lists[kind];
        char field[32];
        snprintf(field, sizeof field, "hooks.%s", oci_hook_names[kind]);
        if (oci_spec_objects(array, field, sizeof *list->hooks, (void **)&list->hooks, err) != 0)
            return -1;
        size_t i;
        json_t *item;
        json_array_foreach(array, i, item)
        {
            char where[64];
            snprintf(where, sizeof where, "hooks.%s[%zu].", oci_hook_names[kind], i);
            oci_hook *hook = &list->hooks[list->count++];
            long long timeout = 0;
            if (oci_spec_string(item, "path", where, true, &hook->path, err) != 0 ||
                oci_spec_strings(item, "args", where, &hook->args, NULL, err) != 0 ||
                oci_spec_strings(item, "env", where, &hook->env, NULL, err) != 0 ||
                oci_spec_integer(item, "timeout", where, 1, INT32_MAX, &timeout, NULL, err) != 0)
                return -1;
            hook->timeout_s = (int)timeout;
            if (hook->path[0] != '/')
                return oci_fail(err, "field %spath: expected an absolute path, found \"%s\"", where,
                                hook->path);
        }
    }
    return 0;
}

int oci_spec_parse(const char *text, const char *bundle, oci_spec *spec, oci_error *err)
{
    memset(spec, 0, sizeof *spec);
    spec->umask = -1;
    json_error_t parse_error;
    spec->json = json_loads(text, 0, &parse_error);
    if (!spec->json)
        return oci_fail(err, "line %d, column %d: expected JSON, found an error: %s",
                        parse_error.line, parse_error.column, parse_error.text);
    if (!json_is_object(spec->json))
        return oci_fail(err, "expected a JSON object, found %s", oci_spec_kind(spec->json));
    json_t *process = NULL, *linux_ = NULL, *annotations = NULL;
    if (oci_spec_string(spec->json, "ociVersion", "", true, &spec->oci_version, err) != 0)
        return -1;
    if (strncmp(spec->oci_version, "1.", 2) != 0)
        return oci_fail(err, "field ociVersion: expected a 1.x version, found \"%s\"",
                        spec->oci_version);
    if (oci_spec_object(spec->json, "process", "", &process, err) != 0) return -1;
    if (!process)
        return oci_fail(err, "field process: expected the process to run, found none (wasmrt-oci "
                             "runs one Wasm module per container)");
    if (oci_spec_process(process, spec, err) != 0 ||
        oci_spec_root(json_object_get(spec->json, "root"), bundle, spec, err) != 0 ||
        oci_spec_string(spec->json, "hostname", "", false, &spec->hostname, err) != 0 ||
        oci_spec_string(spec->json, "domainname", "", false, &spec->domainname, err) != 0 ||
        oci_spec_mounts(json_object_get(spec->json, "mounts"), spec, err) != 0 ||
        oci_hooks_parse(json_object_get(spec->json, "hooks"), spec->hooks, err) != 0 ||
        oci_spec_object(spec->json, "linux", "", &linux_, err) != 0 ||
        oci_spec_object(spec->json, "annotations", "", &annotations, err) != 0)
        return -1;
    if (linux_ && oci_spec_linux(linux_, spec, err) != 0) return -1;
    if (!spec->masked_paths && oci_spec_strings(NULL, "", "", &spec->masked_paths, NULL, err) != 0)
        return -1;
    if (!spec->readonly_paths &&
        oci_spec_strings(NULL, "", "", &spec->readonly_paths, NULL, err) != 0)
        return -1;
    spec->annotations = annotations ? annotations : json_object();
    if (!annotations) json_object_set_new(spec->json, "annotations", spec->annotations);
    if (spec->hostname && !oci_spec_namespace(spec, CLONE_NEWUTS))
        return oci_fail(err, "field hostname: expected a uts namespace in linux.namespaces to set "
                             "it in, found none");
    return 0;
}

int oci_spec_load(const char *bundle, oci_spec *spec, oci_error *err)
{
    char path[PATH_MAX];
    memset(spec, 0, sizeof *spec);
    if (snprintf(path, sizeof path, "%s/config.json", bundle) >= (int)sizeof path)
        return oci_fail(err, "--bundle %s: the path is too long", bundle);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return oci_fail(err, "%s: cannot open: %s", path, strerror(errno));
    struct stat info;
    char *text = NULL;
    if (fstat(fd, &info) == 0 && info.st_size < 64 * 1024 * 1024)
        text = malloc((size_t)info.st_size + 1);
    ssize_t n = text ? read(fd, text, (size_t)info.st_size) : -1;
    close(fd);
    if (n != (ssize_t)info.st_size) {
        free(text);
        return oci_fail(err, "%s: cannot read", path);
    }
    text[n] = '\0';
    int status = oci_spec_parse(text, bundle, spec, err);
    free(text);
    return status == 0 ? 0 : oci_wrap(err, "%s", path);
}

void oci_hooks_free(oci_hook_list lists[OCI_HOOK_KINDS])
{
    for (int kind = 0; kind < OCI_HOOK_KINDS; kind++) {
        for (size_t i = 0; i < lists[kind].count; i++) {
            free(lists[kind].hooks[i].args);
            free(lists[kind].hooks[i].env);
        }
        free(lists[kind].hooks);
        lists[kind].hooks = NULL;
        lists[kind].count = 0;
    }
}

void oci_spec_free(oci_spec *spec)
{
    free(spec->args);
    free(spec->env);
    free(spec->groups);
    free(spec->rlimits);
    free(spec->rootfs);
    for (size_t i = 0; i < spec->mount_count; i++)
        free(spec->mounts[i].data);
    free(spec->mounts);
    oci_hooks_free(spec->hooks);
    free(spec->namespaces);
    free(spec->devices);
    free(spec->sysctl_keys);
    free(spec->sysctl_values);
    free(spec->masked_paths);
    free(spec->readonly_paths);
    json_decref(spec->json);
    memset(spec, 0, sizeof *spec);
}
