# spwd: the shadow password database (readable as root; as another user
# both interpreters see PermissionError / an empty list alike).
import os
import warnings

with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    import spwd
print([str(x.message) for x in w], [x.category.__name__ for x in w])

print(spwd.struct_spwd.n_sequence_fields, spwd.struct_spwd.n_fields, spwd.struct_spwd.__module__)
print(spwd.struct_spwd.__doc__.splitlines()[0])


def show(f):
    try:
        print(repr(f()))
    except Exception as e:
        print(type(e).__name__, e)


if os.geteuid() == 0:
    every = spwd.getspall()
    print(len(every) > 0, all(isinstance(e, spwd.struct_spwd) for e in every))
    root = spwd.getspnam("root")
    print(root == every[0] or root in every, root.sp_namp, root.sp_nam == root.sp_namp, root.sp_pwd == root.sp_pwdp)
    print(len(root), tuple(root)[:1], [type(x).__name__ for x in root])
    for e in every:
        print(e)
        print(spwd.getspnam(e.sp_namp) == e)
else:
    show(lambda: spwd.getspnam("root"))
show(lambda: spwd.getspnam("no-such-user-here"))
show(lambda: spwd.getspnam(1))
show(lambda: spwd.getspnam("a\0b"))
show(lambda: spwd.getspall(1))
