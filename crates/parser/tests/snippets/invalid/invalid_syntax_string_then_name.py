'abc' x
