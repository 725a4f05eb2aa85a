if x:
	y = 'abc
