# SyntaxErrors the compiler raises for match patterns (through compile()).

for src in [
    "match x:\n    case a:\n        pass\n    case 1:\n        pass\n",
    "match x:\n    case _:\n        pass\n    case 1:\n        pass\n",
    "match x:\n    case [a, a]:\n        pass\n",
    "match x:\n    case 1 | a:\n        pass\n",
    "match x:\n    case {'a': 1, 'a': 2}:\n        pass\n",
    "match x:\n    case C(a=1, a=2):\n        pass\n",
    "match x:\n    case _ | 1:\n        pass\n",
]:
    try:
        compile(src, "<test>", "exec")
    except SyntaxError as e:
        print("SyntaxError", e.msg)
