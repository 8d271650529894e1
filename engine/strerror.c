/*
 * strerror.c - the one place status messages are written. A switch with
 * no default: a status without a message breaks the -Werror build.
 */
#include "triage.h"

const char *triage_strerror(triage_status st)
{
    switch (st) {
    case TRIAGE_OK: return "success";
    case TRIAGE_ENOMEM: return "out of memory";
    case TRIAGE_EINVAL: return "invalid argument";
    case TRIAGE_EIO: return "input/output error";
    case TRIAGE_ERULE_SYNTAX: return "rule file is not well-formed YAML";
    case TRIAGE_ERULE_SCHEMA: return "invalid rule";
    case TRIAGE_EPATTERN: return "invalid pattern";
    case TRIAGE_EVERSION:
        return "compiled table is from another version; recompile the rules";
    case TRIAGE_ECORRUPT:
        return "compiled table is damaged; recompile the rules";
    case TRIAGE_ESCRATCH_BUSY: return "scratch is in use by another call";
    case TRIAGE_EPLATFORM:
        return "compiled table was built for other CPU features; "
               "recompile the rules on this machine";
    case TRIAGE_ENORULES: return "no rules to compile";
    case TRIAGE_ELIMIT: return "input exceeds a limit";
    case TRIAGE_EMISMATCH: return "scratch belongs to another rule set";
    case TRIAGE_ENOTFOUND: return "not found";
    }
    return "unknown status";
}

const char *triage_version(void)
{
    return TRIAGE_VERSION_STRING;
}
