# PEP 646: unpacking a GenericAlias (`*tuple[int]`) and substituting
# variadic tuples.
import copy
import pickle
from types import GenericAlias
from typing import TypeVar, TypeVarTuple, Unpack, Generic, Tuple

alias = tuple[str, ...]
print(alias.__unpacked__, alias.__typing_unpacked_tuple_args__)
unpacked = (*alias,)[0]
print(repr(unpacked), unpacked.__unpacked__, unpacked.__typing_unpacked_tuple_args__)
print(unpacked == alias, unpacked == (*tuple[str, ...],)[0], unpacked.__origin__, unpacked.__args__)
it = iter(tuple[int])
print(type(it).__name__, iter(it) is it, next(it), next(it, "done"))
print(list(list[int]), (*dict[str, int],)[0].__typing_unpacked_tuple_args__)
print(repr(tuple[*tuple[int, str]]), repr(tuple[int, *tuple[str, ...]]))

T = TypeVar("T")
T1 = TypeVar("T1")
T2 = TypeVar("T2")
Ts = TypeVarTuple("Ts")
print(repr(tuple[T, *Ts]), tuple[T, *Ts].__parameters__)
print(repr(tuple[T, *Ts][int, str, bytes]))
print(repr(tuple[T, *Ts][int]))
print(repr(tuple[*Ts][()]), repr(tuple[*Ts][int, *tuple[str, ...]]))
print(repr(dict[T1, T2][*tuple[int, str]]))
print(repr(tuple[T1, T2, *tuple[int, ...]][str, bool]))
print(repr(list[T][*tuple[int]]))
print(repr(Unpack[Ts]), repr(Unpack[tuple[int]]))
print((*tuple[int, str],)[0] == Unpack[tuple[int, str]])
for bad in [lambda: dict[T1, T2][int], lambda: dict[T1, T2][*tuple[int, ...]], lambda: list[T][int, str]]:
    try:
        print(bad())
    except Exception as e:
        print(type(e).__name__, e)


class C(Generic[T1, *Ts]):
    pass


print(repr(C[int, str, bytes]), repr(C[int]))

for a in [unpacked, (*tuple[int],)[0], (*tuple[T, *Ts],)[0]]:
    for proto in range(pickle.HIGHEST_PROTOCOL + 1):
        b = pickle.loads(pickle.dumps(a, proto))
        assert b == a and b.__unpacked__ and type(b) is type(a), (a, proto)
    print(repr(copy.copy(a)), repr(copy.deepcopy(a)))
it = iter(tuple[int])
print(it.__reduce__()[0] is iter, repr(it.__reduce__()[1][0]))
next(it)
print(it.__reduce__()[1])
print(GenericAlias(tuple, (int,)).__unpacked__, repr(GenericAlias(tuple, (int,))))
import types
print((int | None).__args__, int | None, isinstance(None, int | None))
import typing
print((int | None) == typing.Optional[int], (list[int] | None).__args__)
d = {"a": 1, "b": 2, "c": 3}
print(list(reversed(types.MappingProxyType(d))))
