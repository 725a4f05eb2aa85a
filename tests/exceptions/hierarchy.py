names = ["BaseException", "Exception", "ArithmeticError", "ZeroDivisionError", "OverflowError", "LookupError", "KeyError", "IndexError",
         "OSError", "FileNotFoundError", "PermissionError", "TimeoutError", "RuntimeError", "RecursionError", "NotImplementedError",
         "NameError", "UnboundLocalError", "ValueError", "UnicodeDecodeError", "TypeError", "AttributeError", "StopIteration",
         "StopAsyncIteration", "GeneratorExit", "KeyboardInterrupt", "SystemExit", "ImportError", "ModuleNotFoundError",
         "SyntaxError", "IndentationError", "TabError", "AssertionError", "BufferError", "EOFError", "MemoryError", "ReferenceError",
         "Warning", "DeprecationWarning", "UserWarning", "BaseExceptionGroup", "ExceptionGroup", "ConnectionResetError", "BlockingIOError"]
import builtins
for n in names:
    cls = getattr(builtins, n)
    print(n, [c.__name__ for c in cls.__mro__])
print(EnvironmentError is OSError, IOError is OSError)
