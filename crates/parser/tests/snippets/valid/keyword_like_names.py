print_ = exec_
async_ = await_
nonlocal_ = 1
