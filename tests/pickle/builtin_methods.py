# Pickling built-in static methods (bound to their type), class methods and method descriptors.
import pickle
for o in [bytearray.maketrans, dict.fromkeys, str.maketrans, bytes.maketrans, list.append, dict.__dict__['fromkeys'], int.from_bytes]:
    try:
        print(o.__reduce__())
        print(pickle.loads(pickle.dumps(o)) == o)
    except Exception as e:
        print(type(e).__name__, e)
import copy
print(copy.copy(bytearray.maketrans) is bytearray.maketrans, copy.deepcopy(dict.fromkeys) == dict.fromkeys)
print(pickle.loads(pickle.dumps(bytearray.maketrans))(b"ab", b"cd")[97:99])
a = [1]
print(a.append == a.append, a.append != a.append, [].append == [].append)
print(hash(a.append) == hash(a.append), dict.fromkeys == dict.fromkeys, dict.fromkeys == list.append)
print(dict.fromkeys == 1, {a.append: 1}[a.append])
for p in range(pickle.HIGHEST_PROTOCOL + 1):
    r = pickle.loads(pickle.dumps([a.append, dict.fromkeys, str.maketrans], p))
    print(p, [x.__name__ for x in r], r[0].__self__, r[1] == dict.fromkeys, r[2] is str.maketrans)
