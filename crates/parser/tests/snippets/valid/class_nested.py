class A:
    class B:
        class C:
            x = 1
