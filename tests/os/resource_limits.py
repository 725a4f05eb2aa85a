# resource: limits round-trip through setrlimit/prlimit, usage records,
# and CPython's errors.
import os
import resource

soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
print(resource.getrlimit(resource.RLIMIT_NOFILE) == (soft, hard))
print(resource.prlimit(0, resource.RLIMIT_NOFILE) == (soft, hard))
print(resource.prlimit(os.getpid(), resource.RLIMIT_NOFILE, (soft, hard)) == (soft, hard))
u = resource.getrusage(resource.RUSAGE_SELF)
print(type(u).__name__, len(u), u.ru_utime >= 0.0, type(u.ru_maxrss).__name__, u[0] == u.ru_utime)
print(resource.getpagesize() > 0, resource.RLIM_INFINITY, resource.error is OSError)
print(resource.RLIMIT_OFILE == resource.RLIMIT_NOFILE)


def attempt(f, *args):
    try:
        return f(*args)
    except Exception as e:
        print(type(e).__name__, e)


attempt(resource.getrlimit, 99)
attempt(resource.getrlimit, -1)
attempt(resource.getrlimit, "x")
attempt(resource.setrlimit, resource.RLIMIT_NOFILE, (1,))
attempt(resource.setrlimit, resource.RLIMIT_NOFILE, 5)
attempt(resource.getrusage, 5)
attempt(resource.setrlimit, resource.RLIMIT_NOFILE, (hard + 1, hard) if hard != resource.RLIM_INFINITY else (1, 0))
