# syslog: masks, option handling and argument errors (messages go to the
# system logger, which may be absent: nothing here depends on it).
import syslog

print(syslog.LOG_MASK(syslog.LOG_ERR), syslog.LOG_UPTO(syslog.LOG_ERR))
print(syslog.LOG_USER, syslog.LOG_LOCAL0, syslog.LOG_PID)
syslog.openlog("taipan-test", syslog.LOG_PID, syslog.LOG_LOCAL0)
old = syslog.setlogmask(syslog.LOG_UPTO(syslog.LOG_DEBUG))
print(syslog.setlogmask(old) == syslog.LOG_UPTO(syslog.LOG_DEBUG))
syslog.syslog("a message")
syslog.syslog(syslog.LOG_DEBUG, "with a priority %s")
syslog.closelog()
syslog.closelog()
syslog.openlog(ident="x", logoption=0, facility=syslog.LOG_USER)
syslog.closelog()


def attempt(f, *args):
    try:
        return f(*args)
    except Exception as e:
        print(type(e).__name__, e)


attempt(syslog.syslog)
attempt(syslog.syslog, 1, 2, 3)
attempt(syslog.syslog, 5)
attempt(syslog.openlog, 5)
attempt(syslog.syslog, "nul\0byte")
