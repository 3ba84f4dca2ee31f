/* seccomp.c: linux.seccomp into a BPF filter through libseccomp, which knows each
 * architecture's syscall numbers. As runc: a syscall name this architecture does not
 * have is skipped; several conditions on one argument index make one rule each (any of
 * them matches), conditions on different indexes one rule (all must match). */
#include "security.h"

#include <errno.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    const char *name;
    uint32_t action; /* with errno 0 for ERRNO/TRACE: set per rule */
} oci_seccomp_actions[] = {
    {"SCMP_ACT_KILL", SCMP_ACT_KILL},
    {"SCMP_ACT_KILL_THREAD", SCMP_ACT_KILL_THREAD},
    {"SCMP_ACT_KILL_PROCESS", SCMP_ACT_KILL_PROCESS},
    {"SCMP_ACT_TRAP", SCMP_ACT_TRAP},
    {"SCMP_ACT_ERRNO", SCMP_ACT_ERRNO(0)},
    {"SCMP_ACT_TRACE", SCMP_ACT_TRACE(0)},
    {"SCMP_ACT_ALLOW", SCMP_ACT_ALLOW},
    {"SCMP_ACT_LOG", SCMP_ACT_LOG},
};

static const struct {
    const char *name;
    enum scmp_compare op;
} oci_seccomp_operators[] = {
    {"SCMP_CMP_NE", SCMP_CMP_NE},
    {"SCMP_CMP_LT", SCMP_CMP_LT},
    {"SCMP_CMP_LE", SCMP_CMP_LE},
    {"SCMP_CMP_EQ", SCMP_CMP_EQ},
    {"SCMP_CMP_GE", SCMP_CMP_GE},
    {"SCMP_CMP_GT", SCMP_CMP_GT},
    {"SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ},
};

static const struct {
    const char *name;
    enum scmp_filter_attr attribute;
} oci_seccomp_flags[] = {
    {"SECCOMP_FILTER_FLAG_TSYNC", SCMP_FLTATR_CTL_TSYNC},
    {"SECCOMP_FILTER_FLAG_LOG", SCMP_FLTATR_CTL_LOG},
    {"SECCOMP_FILTER_FLAG_SPEC_ALLOW", SCMP_FLTATR_CTL_SSB},
};

#define OCI_COUNT(array) (sizeof(array) / sizeof((array)[0]))

/* The action named by name with errno_ret (EPERM when absent), or -1 with err. */
static int oci_seccomp_action(const char *name, json_t *errno_ret, const char *where, uint32_t *out,
                              oci_error *err)
{
    for (size_t i = 0; name && i < OCI_COUNT(oci_seccomp_actions); i++) {
        if (strcmp(oci_seccomp_actions[i].name, name) != 0) continue;
        *out = oci_seccomp_actions[i].action;
        if (*out == SCMP_ACT_ERRNO(0) || *out == SCMP_ACT_TRACE(0)) {
            int code = json_is_integer(errno_ret) ? (int)json_integer_value(errno_ret) : EPERM;
            *out = *out == SCMP_ACT_ERRNO(0) ? SCMP_ACT_ERRNO((uint32_t)code)
                                             : SCMP_ACT_TRACE((uint32_t)code);
        }
        return 0;
    }
    return oci_fail(err,
                    "field %s: expected a seccomp action (SCMP_ACT_ALLOW, SCMP_ACT_ERRNO, "
                    "SCMP_ACT_KILL, ...; SCMP_ACT_NOTIFY is not supported), found \"%s\"",
                    where, name ? name : "none");
}

/* "SCMP_ARCH_X86_64" -> libseccomp's token, 0 when unknown. */
static uint32_t oci_seccomp_arch(const char *name)
{
    if (!name || strncmp(name, "SCMP_ARCH_", 10) != 0) return 0;
    char lower[64];
    size_t i = 0;
    for (const char *p = name + 10; *p && i < sizeof lower - 1; p++)
        lower[i++] = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
    lower[i] = '\0';
    return seccomp_arch_resolve_name(lower);
}

static int oci_seccomp_rule(scmp_filter_ctx context, uint32_t default_action, json_t *rule,
                            size_t index, oci_error *err)
{
    char where[64];
    snprintf(where, sizeof where, "linux.seccomp.syscalls[%zu].action", index);
    uint32_t action;
    if (oci_seccomp_action(json_string_value(json_object_get(rule, "action")),
                           json_object_get(rule, "errnoRet"), where, &action, err) != 0)
        return -1;
    if (action == default_action) return 0; /* libseccomp refuses a rule that changes nothing */
    json_t *args = json_object_get(rule, "args");
    size_t count = json_array_size(args);
    struct scmp_arg_cmp compare[6];
    bool same_index = false;
    if (count > 6)
        return oci_fail(err, "linux.seccomp.syscalls[%zu].args: expected at most 6, found %zu",
                        index, count);
    for (size_t i = 0; i < count; i++) {
        json_t *arg = json_array_get(args, i);
        const char *op = json_string_value(json_object_get(arg, "op"));
        size_t k = 0;
        while (k < OCI_COUNT(oci_seccomp_operators) &&
               (!op || strcmp(oci_seccomp_operators[k].name, op) != 0))
            k++;
        if (k == OCI_COUNT(oci_seccomp_operators))
            return oci_fail(err,
                            "field linux.seccomp.syscalls[%zu].args[%zu].op: expected "
                            "SCMP_CMP_EQ, NE, LT, LE, GT, GE or MASKED_EQ, found \"%s\"",
                            index, i, op ? op : "none");
        compare[i] = (struct scmp_arg_cmp){
            .arg = (unsigned)json_integer_value(json_object_get(arg, "index")),
            .op = oci_seccomp_operators[k].op,
            .datum_a = (scmp_datum_t)json_integer_value(json_object_get(arg, "value")),
            .datum_b = (scmp_datum_t)json_integer_value(json_object_get(arg, "valueTwo"))};
        for (size_t j = 0; j < i; j++)
            same_index |= compare[j].arg == compare[i].arg;
    }
    json_t *names = json_object_get(rule, "names");
    size_t n;
    json_t *name;
    json_array_foreach(names, n, name)
    {
        int number = seccomp_syscall_resolve_name(json_string_value(name));
        if (number == __NR_SCMP_ERROR) continue; /* not a syscall of this architecture */
        int status = 0;
        if (same_index)
            for (size_t i = 0; i < count && status == 0; i++)
                status = seccomp_rule_add_array(context, action, number, 1, &compare[i]);
        else
            status = seccomp_rule_add_array(context, action, number, (unsigned)count, compare);
        if (status != 0)
            return oci_fail(err, "linux.seccomp.syscalls[%zu]: rule for %s: %s", index,
                            json_string_value(name), strerror(-status));
    }
    return 0;
}

int oci_seccomp_load(json_t *seccomp, oci_error *err)
{
    uint32_t default_action;
    if (oci_seccomp_action(json_string_value(json_object_get(seccomp, "defaultAction")),
                           json_object_get(seccomp, "defaultErrnoRet"),
                           "linux.seccomp.defaultAction", &default_action, err) != 0)
        return -1;
    if (json_string_length(json_object_get(seccomp, "listenerPath")))
        return oci_fail(err, "field linux.seccomp.listenerPath: seccomp notification is not "
                             "supported by wasmrt-oci");
    scmp_filter_ctx context = seccomp_init(default_action);
    if (!context) return oci_fail(err, "seccomp_init failed");
    int status = 0;
    size_t i;
    json_t *item;
    json_array_foreach(json_object_get(seccomp, "architectures"), i, item)
    {
        /* the native one is there already (-EEXIST); one libseccomp lacks is skipped */
        uint32_t arch = oci_seccomp_arch(json_string_value(item));
        if (arch) seccomp_arch_add(context, arch);
    }
    json_array_foreach(json_object_get(seccomp, "flags"), i, item)
    {
        size_t k = 0;
        while (k < OCI_COUNT(oci_seccomp_flags) &&
               strcmp(oci_seccomp_flags[k].name, json_string_value(item) ?: "") != 0)
            k++;
        if (k == OCI_COUNT(oci_seccomp_flags)) {
            status = oci_fail(err, "field linux.seccomp.flags[%zu]: unknown flag \"%s\"", i,
                              json_string_value(item) ?: "");
            break;
        }
        seccomp_attr_set(context, oci_seccomp_flags[k].attribute, 1);
    }
    json_array_foreach(json_object_get(seccomp, "syscalls"), i, item)
    {
        if (status == 0) status = oci_seccomp_rule(context, default_action, item, i, err);
    }
    if (status == 0 && (status = seccomp_load(context)) != 0)
        status = oci_fail(err, "loading the filter: %s", strerror(-status));
    seccomp_release(context);
    return status;
}

json_t *oci_seccomp_features(void)
{
    json_t *actions = json_array(), *operators = json_array(), *archs = json_array();
    json_t *flags = json_array();
    for (size_t i = 0; i < OCI_COUNT(oci_seccomp_actions); i++)
        json_array_append_new(actions, json_string(oci_seccomp_actions[i].name));
    for (size_t i = 0; i < OCI_COUNT(oci_seccomp_operators); i++)
        json_array_append_new(operators, json_string(oci_seccomp_operators[i].name));
    const char *known[] = {"SCMP_ARCH_X86",   "SCMP_ARCH_X86_64",  "SCMP_ARCH_X32",
                           "SCMP_ARCH_ARM",   "SCMP_ARCH_AARCH64", "SCMP_ARCH_PPC64LE",
                           "SCMP_ARCH_S390X", "SCMP_ARCH_RISCV64"};
    for (size_t i = 0; i < OCI_COUNT(known); i++)
        if (oci_seccomp_arch(known[i])) json_array_append_new(archs, json_string(known[i]));
    for (size_t i = 0; i < OCI_COUNT(oci_seccomp_flags); i++)
        json_array_append_new(flags, json_string(oci_seccomp_flags[i].name));
    return json_pack("{s:b, s:o, s:o, s:o, s:o, s:O}", "enabled", 1, "actions", actions,
                     "operators", operators, "archs", archs, "knownFlags", flags, "supportedFlags",
                     flags);
}
