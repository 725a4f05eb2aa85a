import gc
async def never():
    return 1
c = never()
del c
gc.collect()
print("after unawaited coroutine")
