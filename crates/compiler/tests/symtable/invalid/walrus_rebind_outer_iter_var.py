[[(i := j) for j in k] for i in m]
