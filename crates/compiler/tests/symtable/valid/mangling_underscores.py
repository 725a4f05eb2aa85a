class _C:
    __x = 1
class __:
    __y = 1
class __D__:
    __z = 1
