é = 'abc
