class Last:
    def __del__(self):
        print("module-level object finalized at exit")
keep = Last()
print("main body done")
