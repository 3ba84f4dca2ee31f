/* spec_linux.c: config.json's "linux" object (the runtime spec's config-linux.md) into
 * an oci_spec: namespaces, devices, sysctl, propagation, cgroups path, resources,
 * seccomp, masked and read-only paths. What wasmrt-oci does not implement (user and
 * time namespaces, id mappings, Intel RDT) is refused here, naming the field. */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "spec.h"
#include "spec_fields.h"

static const struct {
    const char *name;
    int flag;
} oci_namespace_names[] = {
    {"pid", CLONE_NEWPID},   {"network", CLONE_NEWNET},
    {"mount", CLONE_NEWNS},  {"ipc", CLONE_NEWIPC},
    {"uts", CLONE_NEWUTS},   {"cgroup", CLONE_NEWCGROUP},
    {"user", CLONE_NEWUSER}, {"time", 0x00000080 /* CLONE_NEWTIME */},
};

static int oci_spec_namespaces(json_t *array, oci_spec *spec, oci_error *err)
{
    if (oci_spec_objects(array, "linux.namespaces", sizeof *spec->namespaces,
                         (void **)&spec->namespaces, err) != 0)
        return -1;
    size_t i;
    json_t *item;
    json_array_foreach(array, i, item)
    {
        char where[48];
        snprintf(where, sizeof where, "linux.namespaces[%zu].", i);
        const char *type = NULL, *path = NULL;
        if (oci_spec_string(item, "type", where, true, &type, err) != 0 ||
            oci_spec_string(item, "path", where, false, &path, err) != 0)
            return -1;
        size_t k = 0;
        while (k < sizeof oci_namespace_names / sizeof *oci_namespace_names &&
               strcmp(oci_namespace_names[k].name, type) != 0)
            k++;
        if (k == sizeof oci_namespace_names / sizeof *oci_namespace_names)
            return oci_fail(err,
                            "field %stype: expected pid, network, mount, ipc, uts, cgroup, user "
                            "or time, found \"%s\"",
                            where, type);
        int flag = oci_namespace_names[k].flag;
        if (flag == CLONE_NEWUSER || strcmp(type, "time") == 0)
            return oci_fail(err,
                            "field %stype: %s namespaces are not supported by wasmrt-oci (it "
                            "runs containers with pid, network, mount, ipc, uts and cgroup "
                            "namespaces)",
                            where, type);
        if (oci_spec_namespace(spec, flag))
            return oci_fail(err, "field %stype: expected each namespace once, found \"%s\" again",
                            where, type);
        if (path && path[0] != '/')
            return oci_fail(err, "field %spath: expected an absolute path, found \"%s\"", where,
                            path);
        spec->namespaces[spec->namespace_count].flag = flag;
        spec->namespaces[spec->namespace_count++].path = path;
    }
    return 0;
}

const oci_namespace *oci_spec_namespace(const oci_spec *spec, int flag)
{
    for (size_t i = 0; i < spec->namespace_count; i++)
        if (spec->namespaces[i].flag == flag) return &spec->namespaces[i];
    return NULL;
}

static int oci_spec_devices(json_t *array, oci_spec *spec, oci_error *err)
{
    if (oci_spec_objects(array, "linux.devices", sizeof *spec->devices, (void **)&spec->devices,
                         err) != 0)
        return -1;
    size_t i;
    json_t *item;
    json_array_foreach(array, i, item)
    {
        char where[48];
        snprintf(where, sizeof where, "linux.devices[%zu].", i);
        oci_device *device = &spec->devices[spec->device_count++];
        const char *type = NULL;
        long long major = 0, minor = 0, mode = 0666, uid = 0, gid = 0;
        if (oci_spec_string(item, "path", where, true, &device->path, err) != 0 ||
            oci_spec_string(item, "type", where, true, &type, err) != 0 ||
            oci_spec_integer(item, "major", where, 0, 0xfff, &major, NULL, err) != 0 ||
            oci_spec_integer(item, "minor", where, 0, 0xfffff, &minor, NULL, err) != 0 ||
            oci_spec_integer(item, "fileMode", where, 0, 07777, &mode, NULL, err) != 0 ||
            oci_spec_integer(item, "uid", where, 0, UINT32_MAX - 1, &uid, NULL, err) != 0 ||
            oci_spec_integer(item, "gid", where, 0, UINT32_MAX - 1, &gid, NULL, err) != 0)
            return -1;
        if (strcmp(type, "c") == 0 || strcmp(type, "u") == 0)
            device->type = S_IFCHR;
        else if (strcmp(type, "b") == 0)
            device->type = S_IFBLK;
        else if (strcmp(type, "p") == 0)
            device->type = S_IFIFO;
        else
            return oci_fail(err, "field %stype: expected c, b, u or p, found \"%s\"", where, type);
        if (strncmp(device->path, "/dev/", 5) != 0)
            return oci_fail(err, "field %spath: expected a path under /dev/, found \"%s\"", where,
                            device->path);
        device->major = (unsigned)major;
        device->minor = (unsigned)minor;
        device->mode = (mode_t)mode;
        device->uid = (uid_t)uid;
        device->gid = (gid_t)gid;
    }
    return 0;
}

static int oci_spec_sysctl(json_t *sysctl, oci_spec *spec, oci_error *err)
{
    if (!sysctl) return 0;
    if (!json_is_object(sysctl))
        return oci_fail(err, "field linux.sysctl: expected an object, found %s",
                        oci_spec_kind(sysctl));
    size_t n = json_object_size(sysctl);
    spec->sysctl_keys = calloc(n + 1, sizeof *spec->sysctl_keys);
    spec->sysctl_values = calloc(n + 1, sizeof *spec->sysctl_values);
    if (!spec->sysctl_keys || !spec->sysctl_values)
        return oci_fail(err, "linux.sysctl: out of memory");
    const char *key;
    json_t *value;
    json_object_foreach(sysctl, key, value)
    {
        if (!json_is_string(value))
            return oci_fail(err, "field linux.sysctl.%s: expected a string, found %s", key,
                            oci_spec_kind(value));
        if (strstr(key, "..") || strchr(key, '/'))
            return oci_fail(err,
                            "field linux.sysctl: expected a name like net.ipv4.ip_forward, "
                            "found \"%s\"",
                            key);
        spec->sysctl_keys[spec->sysctl_count] = key;
        spec->sysctl_values[spec->sysctl_count++] = json_string_value(value);
    }
    return 0;
}

static int oci_spec_propagation(json_t *linux_, oci_spec *spec, oci_error *err)
{
    const char *name = NULL;
    if (oci_spec_string(linux_, "rootfsPropagation", "linux.", false, &name, err) != 0) return -1;
    if (!name || !*name) return 0;
    spec->rootfs_propagation = oci_mount_propagation(name);
    if (!spec->rootfs_propagation)
        return oci_fail(err,
                        "field linux.rootfsPropagation: expected private, shared, slave or "
                        "unbindable (with or without an r), found \"%s\"",
                        name);
    return 0;
}

int oci_spec_linux(json_t *linux_, oci_spec *spec, oci_error *err)
{
    const char *where = "linux.";
    json_t *value;
    if (oci_spec_namespaces(json_object_get(linux_, "namespaces"), spec, err) != 0 ||
        oci_spec_devices(json_object_get(linux_, "devices"), spec, err) != 0 ||
        oci_spec_sysctl(json_object_get(linux_, "sysctl"), spec, err) != 0 ||
        oci_spec_propagation(linux_, spec, err) != 0 ||
        oci_spec_string(linux_, "cgroupsPath", where, false, &spec->cgroups_path, err) != 0 ||
        oci_spec_object(linux_, "resources", where, &spec->resources, err) != 0 ||
        oci_spec_object(linux_, "seccomp", where, &spec->seccomp, err) != 0 ||
        oci_spec_strings(linux_, "maskedPaths", where, &spec->masked_paths, NULL, err) != 0 ||
        oci_spec_strings(linux_, "readonlyPaths", where, &spec->readonly_paths, NULL, err) != 0)
        return -1;
    if (((value = json_object_get(linux_, "uidMappings")) && json_array_size(value)) ||
        ((value = json_object_get(linux_, "gidMappings")) && json_array_size(value)))
        return oci_fail(err, "field linux.uidMappings/gidMappings: user namespaces are not "
                             "supported by wasmrt-oci, expected no mappings");
    if ((value = json_object_get(linux_, "intelRdt")) && json_object_size(value))
        return oci_fail(err, "field linux.intelRdt: Intel RDT is not supported by wasmrt-oci, "
                             "expected none");
    return 0;
}
