yield x
await y
async for a in b: pass
async with c: pass
