# pwd and grp: lookups by id and name agree with each other and with
# getpwall/getgrall; errors as CPython reports them.
import grp
import os
import pwd

me = pwd.getpwuid(os.getuid())
print(type(me).__name__, type(me).__module__, len(me), pwd.struct_passwd.n_fields)
print(me == pwd.getpwnam(me.pw_name), me.pw_uid == os.getuid(), me[0] == me.pw_name)
print(any(e.pw_name == me.pw_name for e in pwd.getpwall()))
root = pwd.getpwuid(0)
print(root.pw_name, root.pw_uid, root.pw_gid, root.pw_dir)
g = grp.getgrgid(0)
print(g.gr_name, g.gr_gid, type(g.gr_mem).__name__, g == grp.getgrnam(g.gr_name))
print(any(e.gr_gid == 0 for e in grp.getgrall()))


def attempt(f, *args):
    try:
        return f(*args)
    except Exception as e:
        print(type(e).__name__, e)


attempt(pwd.getpwuid, 54321)
attempt(pwd.getpwuid, 2**40)
attempt(pwd.getpwuid, "x")
attempt(pwd.getpwnam, "no such user here")
attempt(pwd.getpwnam, "a\0b")
attempt(pwd.getpwnam, 5)
attempt(grp.getgrgid, 54321)
attempt(grp.getgrgid, 1.5)
attempt(grp.getgrnam, "no such group here")
