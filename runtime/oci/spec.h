/* spec.h: a bundle's config.json (the OCI runtime spec's configuration), read and checked
 * once into plain C values before anything is created, so a bad field is refused with
 * its name and the container never half-exists. Strings point into the parsed JSON,
 * which the spec keeps until oci_spec_free. What this runtime does not implement (user
 * and time namespaces, ...) is refused here with a message saying so. */
#ifndef OCI_SPEC_H
#define OCI_SPEC_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

#include "error.h"

typedef struct oci_mount {
    const char *destination; /* absolute, inside the container */
    const char *type;        /* "" for a bind mount */
    const char *source;
    unsigned long flags;       /* MS_* from the options, propagation excluded */
    unsigned long propagation; /* MS_PRIVATE, MS_SLAVE, ... (| MS_REC), or 0 */
    char *data;                /* the options that are not flags, comma-separated */
} oci_mount;

typedef struct oci_hook {
    const char *path;
    const char **args; /* NULL-terminated; may be empty */
    const char **env;  /* NULL-terminated; may be empty */
    int timeout_s;     /* 0: none */
} oci_hook;

typedef enum oci_hook_kind {
    OCI_HOOK_PRESTART,
    OCI_HOOK_CREATE_RUNTIME,
    OCI_HOOK_CREATE_CONTAINER,
    OCI_HOOK_START_CONTAINER,
    OCI_HOOK_POSTSTART,
    OCI_HOOK_POSTSTOP,
    OCI_HOOK_KINDS
} oci_hook_kind;

typedef struct oci_hook_list {
    oci_hook *hooks;
    size_t count;
} oci_hook_list;

typedef struct oci_namespace {
    int flag;         /* CLONE_NEWPID, ... */
    const char *path; /* join this one instead of creating; NULL to create */
} oci_namespace;

typedef struct oci_rlimit {
    int resource; /* RLIMIT_* */
    struct rlimit limit;
} oci_rlimit;

typedef struct oci_device {
    const char *path;
    mode_t type; /* S_IFCHR, S_IFBLK, S_IFIFO */
    unsigned major, minor;
    mode_t mode; /* permission bits */
    uid_t uid;
    gid_t gid;
} oci_device;

/* The capability sets as bit masks (bit n = capability n). */
typedef struct oci_capabilities {
    uint64_t bounding, effective, inheritable, permitted, ambient;
} oci_capabilities;

typedef struct oci_spec {
    json_t *json; /* owns every string below */
    const char *oci_version;
    /* process */
    bool terminal;
    unsigned console_height, console_width; /* 0: unset */
    const char **args;                      /* NULL-terminated, at least one */
    const char **env;                       /* NULL-terminated */
    size_t env_count;
    const char *cwd;
    uid_t uid;
    gid_t gid;
    gid_t *groups;
    size_t group_count;
    int umask; /* -1: unset */
    bool has_capabilities;
    oci_capabilities capabilities;
    oci_rlimit *rlimits;
    size_t rlimit_count;
    bool no_new_privileges;
    bool has_oom_score_adj;
    int oom_score_adj;
    const char *apparmor_profile; /* NULL: none */
    /* root and mounts */
    char *rootfs; /* absolute: root.path resolved against the bundle */
    bool root_readonly;
    const char *hostname, *domainname; /* NULL: unset */
    oci_mount *mounts;
    size_t mount_count;
    oci_hook_list hooks[OCI_HOOK_KINDS];
    /* linux */
    oci_namespace *namespaces;
    size_t namespace_count;
    oci_device *devices;
    size_t device_count;
    const char *cgroups_path; /* NULL: unset */
    json_t *resources;        /* linux.resources, or NULL */
    const char **sysctl_keys, **sysctl_values;
    size_t sysctl_count;
    const char **masked_paths, **readonly_paths; /* NULL-terminated */
    unsigned long rootfs_propagation;            /* 0: the default, MS_SLAVE | MS_REC */
    json_t *seccomp;                             /* linux.seccomp, or NULL */
    json_t *annotations;                         /* an object (empty when unset) */
} oci_spec;

/* Reads BUNDLE/config.json. Errors name the file and the field. */
int oci_spec_load(const char *bundle, oci_spec *spec, oci_error *err);

/* The same from JSON text (tests); bundle resolves a relative root.path. */
int oci_spec_parse(const char *text, const char *bundle, oci_spec *spec, oci_error *err);

void oci_spec_free(oci_spec *spec);

/* The namespace of this kind in the spec, or NULL. */
const oci_namespace *oci_spec_namespace(const oci_spec *spec, int flag);

/* The hooks array of a kind's name in config.json ("prestart", ...). */
const char *oci_hook_kind_name(oci_hook_kind kind);

/* The "hooks" object of config.json (NULL: none) into one list per kind; the hooks
 * point into the JSON, which must outlive them. The state file keeps a copy of it. */
int oci_hooks_parse(json_t *hooks, oci_hook_list lists[OCI_HOOK_KINDS], oci_error *err);
void oci_hooks_free(oci_hook_list lists[OCI_HOOK_KINDS]);

/* Parses a list of mount options (JSON strings) into flags, propagation and data. */
int oci_mount_options(json_t *options, const char *where, oci_mount *mount, oci_error *err);

#endif
