if x:
	  a = 1
	  if y:
	  	b = 2
