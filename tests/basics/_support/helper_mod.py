# Imported by tests/basics/import_local_module.py; also runs alone as a test.
counter = 0
counter += 1
CONSTANT = "const"
def greet(name):
    return "hello " + name
if __name__ == "__main__":
    print("helper run as main", greet("main"))
else:
    print("helper imported as", __name__)
